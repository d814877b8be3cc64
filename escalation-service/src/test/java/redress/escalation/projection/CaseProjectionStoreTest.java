package redress.escalation.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The consumer reads and writes projections in batches ({@link CaseProjectionStore#lockedOrNew},
 * {@link CaseProjectionStore#saveAll}): every column written must come back as written, for many
 * cases at once, nulls included.
 */
@QuarkusTest
class CaseProjectionStoreTest {

    @Inject
    CaseProjectionStore store;

    @Test
    void everyColumnComesBackAsWritten() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Instant received = Instant.parse("2026-10-01T09:15:30.123456Z");
        Instant last = Instant.parse("2026-10-03T17:00:00.000001Z");

        Map<UUID, CaseProjection> created =
                QuarkusTransaction.requiringNew().call(() -> store.lockedOrNew(Set.of(a, b)));
        assertEquals("AGENT", created.get(a).level);
        assertEquals("", created.get(a).satisfiedRules);

        QuarkusTransaction.requiringNew().run(() -> {
            Map<UUID, CaseProjection> all = store.lockedOrNew(Set.of(a, b));
            CaseProjection p = all.get(a);
            p.reference = "CMP-2026-000042";
            p.customerId = "C-store";
            p.summary = "Charged twice, \"quoted\", comma, and ünïcode";
            p.severity = "HIGH";
            p.category = "billing";
            p.product = "card";
            p.regulatoryProfile = "UK_FCA_DISP";
            p.level = "SUPERVISOR";
            p.assignee = "agent-7";
            p.status = "IN_PROGRESS";
            p.tones = "UPSET,ANGRY";
            p.boundaryWarnings = 1;
            p.conversationsEnded = 2;
            p.solutionsRejected = 3;
            p.reopenings = 4;
            p.promisesMissed = 5;
            p.assistanceRequests = 6;
            p.managerRequests = 7;
            p.deadlineWarnings = 8;
            p.deadlineBreaches = 9;
            p.followupsDissatisfied = 10;
            p.earlierComplaints = 11;
            p.coachingFindings = 12;
            p.receivedAt = received;
            p.lastEventAt = last;
            p.satisfiedRules = "critical-severity,tone-rising";
            all.get(b).lastEventAt = last;
            store.saveAll(all.values());
        });

        Map<UUID, CaseProjection> read = QuarkusTransaction.requiringNew().call(() -> store.lockedOrNew(Set.of(a, b)));
        CaseProjection p = read.get(a);
        assertEquals(
                List.of(
                        "CMP-2026-000042",
                        "C-store",
                        "Charged twice, \"quoted\", comma, and ünïcode",
                        "HIGH",
                        "billing",
                        "card",
                        "UK_FCA_DISP",
                        "SUPERVISOR",
                        "agent-7",
                        "IN_PROGRESS",
                        "UPSET,ANGRY",
                        "critical-severity,tone-rising"),
                List.of(
                        p.reference,
                        p.customerId,
                        p.summary,
                        p.severity,
                        p.category,
                        p.product,
                        p.regulatoryProfile,
                        p.level,
                        p.assignee,
                        p.status,
                        p.tones,
                        p.satisfiedRules));
        assertEquals(
                List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
                List.of(
                        p.boundaryWarnings,
                        p.conversationsEnded,
                        p.solutionsRejected,
                        p.reopenings,
                        p.promisesMissed,
                        p.assistanceRequests,
                        p.managerRequests,
                        p.deadlineWarnings,
                        p.deadlineBreaches,
                        p.followupsDissatisfied,
                        p.earlierComplaints,
                        p.coachingFindings));
        assertEquals(received, p.receivedAt);
        assertEquals(last, p.lastEventAt);
        CaseProjection untouched = read.get(b);
        assertEquals(null, untouched.reference);
        assertEquals(null, untouched.receivedAt);
        assertEquals(last, untouched.lastEventAt);
        // The queue's unlocked read of one case sees the same row.
        CaseProjection found = QuarkusTransaction.requiringNew().call(() -> store.find(a));
        assertEquals("critical-severity,tone-rising", found.satisfiedRules);
        assertEquals(received, found.receivedAt);
        // The customer lookups (repeat complaints) see the case as received.
        assertEquals(Map.of(a, received), QuarkusTransaction.requiringNew().call(() -> store.receivedOf("C-store")));
        assertEquals(
                Map.of("C-store", Map.of(a, received)),
                QuarkusTransaction.requiringNew().call(() -> store.receivedOf(Set.of("C-store", "C-nobody"))));
    }
}
