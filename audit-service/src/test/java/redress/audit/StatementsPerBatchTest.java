package redress.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;
import redress.events.CaseEvent;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseAssigned;
import redress.testsupport.DriverLog;

/**
 * Issue 30, cost per complaint: how many statements one appended batch makes, pinned so that a
 * change which brings back statements per event in the case projection fails here
 * (docs/performance.md). And what the projection holds after a batch whose events of one case
 * change what earlier ones set: the same as applying them one by one.
 *
 * <p>Counted from the PostgreSQL wire protocol as the driver speaks it ({@link DriverLog}), on the
 * test's thread, which runs the append's transaction: a statement is an Execute (BEGIN and COMMIT
 * included).
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class StatementsPerBatchTest {

    @Inject
    AuditLog log;

    @Inject
    DataSource dataSource;

    /** What the driver sent on the test's thread during one append. */
    record Traffic(List<String> messages) {

        long statements() {
            return DriverLog.statements(messages);
        }

        /** SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT statements. */
        long savepoints() {
            return messages.stream()
                    .filter(m ->
                            (m.startsWith("FE=> Parse") || m.startsWith("FE=> SimpleQuery")) && m.contains("SAVEPOINT"))
                    .count();
        }

        /** The statements' text where sent, or the name of a statement the server has prepared. */
        List<String> sql() {
            return DriverLog.sql(messages, 160);
        }

        String describe() {
            return statements() + " statements, " + savepoints() + " savepoint statements:\n  "
                    + String.join("\n  ", sql());
        }
    }

    Traffic append(List<Received> batch) {
        return new Traffic(DriverLog.onThisThread(() -> {
            try {
                assertEquals(batch.size(), log.append(batch));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /** Each of {@code cases} new cases received, assigned, escalated and reclassified: four events a case. */
    static List<Received> lives(int cases) {
        List<Received> batch = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            UUID id = UUID.randomUUID();
            String customer = "C-spb-" + id;
            for (CaseEvent e : List.of(
                    Events.received(id, customer, "billing", "card"),
                    assigned(id, customer, EscalationLevel.AGENT, Severity.MEDIUM, null),
                    Events.escalated(id, customer),
                    Events.reclassified(id, customer, "billing", "delivery", "parcel"))) {
                batch.add(Received.encoded(e, Topics.CASE_EVENTS));
            }
        }
        return batch;
    }

    @Test
    void theCaseProjectionOfABatchIsAFixedNumberOfStatements() {
        append(lives(2)); // warm: the statements prepared
        Traffic small = append(lives(5));
        System.out.println("20 events of 5 cases: " + small.describe());
        Traffic large = append(lives(20));
        System.out.println("80 events of 20 cases: " + large.describe());
        // Per batch: BEGIN, the head's lock, the head, the events already recorded, the cases'
        // numbers, the database's clock, the projection (a savepoint, its rows read, one upsert, the
        // savepoint released), the followers' notification, COMMIT; a checkpoint when one is due
        // (two). The entries: one JDBC batch of inserts, which the driver rewrites into multi-row
        // INSERTs (reWriteBatchedInserts), at most one per power of two in the batch's size. Before:
        // a savepoint, an upsert or update and a release per event (20 events: 88 statements, 80
        // events: 330), and an insert per entry.
        for (Traffic t : List.of(small, large)) {
            assertTrue(t.savepoints() <= 2, "one savepoint a batch, and its release; " + t.describe());
        }
        assertTrue(small.statements() <= 5 + 14, "at most 14 statements besides the entries; " + small.describe());
        assertTrue(large.statements() <= 7 + 14, "at most 14 statements besides the entries; " + large.describe());
    }

    /**
     * One batch in which later events of a case change what earlier ones set, for new cases and for
     * one the projection has from an earlier batch, and one event the projection cannot store: the
     * rows are what applying the events one by one makes (the expectations were met before the
     * projection was applied per batch), and the unstorable event misses alone (the batch's upsert fails, its savepoint is rolled back, the events
     * go one by one).
     */
    @Test
    void aBatchProjectsAsItsEventsOneByOne() throws Exception {
        Instant t = Instant.parse("2026-03-01T10:00:00.123456789Z");
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        UUID d = UUID.randomUUID();
        UUID e = UUID.randomUUID();
        UUID far = UUID.randomUUID();
        UUID g = UUID.randomUUID();
        UUID old = UUID.randomUUID();
        append(List.of(Received.encoded(
                Events.received(e, "C-e", "billing", "card", Severity.MEDIUM, t), Topics.CASE_EVENTS)));
        double failuresBefore = EveryEnvelopeTest.metric("redress_audit_projection_failures_total");

        List<CaseEvent> events = List.of(
                // a: a reclassification before the case is known changes nothing; one after it does.
                Events.reclassified(a, "C-a", "billing", "loans", "mortgage"),
                Events.received(a, "C-a", "billing", "card", null, t),
                Events.escalated(a, "C-a"),
                Events.reclassified(a, "C-a", "billing", "delivery", "parcel"),
                // b: a manual assignment first; the receipt's severity and level do not replace its own.
                assigned(b, "C-b", EscalationLevel.SUPERVISOR, Severity.LOW, null),
                Events.received(b, "C-b", "billing", "card", Severity.HIGH, t),
                // c: received and reopened.
                Events.received(c, "C-c", "billing", null, Severity.HIGH, t),
                Events.reopened(c, "C-c"),
                // d: only a reclassification: no row.
                Events.reclassified(d, "C-d", "billing", "delivery", "parcel"),
                // e (projected before): received again, then assigned by an escalation without severity.
                Events.received(e, "C-e2", "loans", "mortgage", Severity.HIGH, t.plusSeconds(1)),
                assigned(e, "C-e", null, null, UUID.randomUUID()),
                // far: a receivedAt PostgreSQL cannot store; g after it is projected all the same.
                Events.received(
                        far, "C-far", "billing", "card", Severity.HIGH, Instant.parse("+300000-01-01T00:00:00Z")),
                Events.interaction(far, "C-far", "after the far future"),
                Events.received(g, "C-g", "billing", "card", Severity.LOW, t),
                // old: a receivedAt before 1900 (a producer's slip, or a migrated record) is projected as sent.
                Events.received(old, "C-old", "billing", "card", Severity.LOW, Instant.parse("1850-06-01T12:00:00Z")));
        List<Received> batch = new ArrayList<>();
        for (CaseEvent ev : events) {
            batch.add(new Received(ev, EventCodec.mapper().readTree(EventCodec.encode(ev)), Topics.CASE_EVENTS));
        }
        append(batch);

        Instant micros = Instant.parse("2026-03-01T10:00:00.123457Z"); // rounded as the driver sends it
        assertEquals(
                Arrays.asList(Events.ref(a), "C-a", "delivery", "parcel", "HIGH", "SUPERVISOR", micros, true, false),
                row(a));
        assertEquals(
                Arrays.asList(Events.ref(b), "C-b", "billing", "card", "LOW", "SUPERVISOR", micros, false, false),
                row(b));
        assertEquals(
                Arrays.asList(Events.ref(c), "C-c", "billing", null, "HIGH", "AGENT", micros, false, true), row(c));
        assertNull(row(d));
        assertEquals(
                Arrays.asList(
                        Events.ref(e),
                        "C-e2",
                        "loans",
                        "mortgage",
                        "MEDIUM",
                        "AGENT",
                        micros.plusSeconds(1),
                        true,
                        false),
                row(e));
        assertNull(row(far));
        assertEquals(
                Arrays.asList(Events.ref(g), "C-g", "billing", "card", "LOW", "AGENT", micros, false, false), row(g));
        assertEquals(
                Arrays.asList(
                        Events.ref(old),
                        "C-old",
                        "billing",
                        "card",
                        "LOW",
                        "AGENT",
                        Instant.parse("1850-06-01T12:00:00Z"),
                        false,
                        false),
                row(old));
        assertEquals(
                failuresBefore + 1,
                EveryEnvelopeTest.metric("redress_audit_projection_failures_total"),
                "the one event counted");
    }

    /** The case's projected row, or null. */
    List<Object> row(UUID caseId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT reference, customer_id, category, product, severity, "
                        + "level, received_at, escalated, reopened FROM case_projection WHERE case_id = ?")) {
            ps.setString(1, caseId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Timestamp at = rs.getTimestamp(7);
                return Arrays.asList(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        at == null ? null : at.toInstant(),
                        rs.getBoolean(8),
                        rs.getBoolean(9));
            }
        }
    }

    static CaseEvent assigned(
            UUID caseId, String customer, EscalationLevel level, Severity severity, UUID escalationId) {
        return Events.event(
                "/escalation-service",
                Events.AGENT,
                customer,
                new CaseAssigned(
                        caseId, Events.ref(caseId), "agent-7", level, severity, null, null, null, escalationId));
    }
}
