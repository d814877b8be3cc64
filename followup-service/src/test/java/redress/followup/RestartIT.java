package redress.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.CasePayload;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.PromiseKept;
import redress.events.payload.PromiseMade;
import redress.testsupport.ServiceProcess;

/**
 * followup-service, from the built jar, killed and started again while the events that meet a
 * deadline and keep a promise wait on the topic, restarted only after both were due: it must read
 * them before it fires anything, so the deadline is MET and the promise KEPT, and no breach or miss
 * is announced. Before the waker waited for its consumer (PITFALLS 19), the restarted service
 * fired both within a second of starting, long before its consumer rejoined the group.
 */
class RestartIT extends FromTheJar {

    ServiceProcess start(String label) throws Exception {
        return startProcess("followup_restart", label, Map.of());
    }

    String single(ServiceProcess p, String sql, UUID id) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        p.jdbcUrl(), infra.postgres().user(), infra.postgres().password());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    @Test
    void aRestartedServiceReadsWhatWaitedOnTheTopicBeforeItFiresAnything() throws Exception {
        ServiceProcess first = start("followup-restart-a");
        UUID caseId = UUID.randomUUID();
        UUID promiseId = UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant promised = t0.plusSeconds(8);
        kafka.sendAll(
                Topics.CASE_EVENTS,
                List.of(
                        event(
                                caseId,
                                t0,
                                ComplaintReceived.builder()
                                        .caseId(caseId)
                                        .reference("CMP-2026-990001")
                                        .channel(Channel.WEB)
                                        .category("billing")
                                        .product("card")
                                        .summary("Charged twice")
                                        .severity(Severity.HIGH)
                                        .level(EscalationLevel.AGENT)
                                        .status(CaseStatus.OPEN)
                                        .regulatoryProfile("DEMO")
                                        .receivedAt(t0)
                                        .registeredAt(t0)
                                        .build()),
                        event(
                                caseId,
                                t0,
                                new PromiseMade(
                                        caseId,
                                        "CMP-2026-990001",
                                        promiseId,
                                        UUID.randomUUID(),
                                        "Call back",
                                        promised))));
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "PENDING".equals(single(first, "SELECT state FROM promise WHERE id = ?", promiseId))
                        && "PENDING"
                                .equals(single(
                                        first,
                                        "SELECT state FROM deadline WHERE case_id = ? AND kind = 'ACKNOWLEDGEMENT'",
                                        caseId)));
        Instant due = Instant.parse(single(
                first,
                "SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM deadline "
                        + "WHERE case_id = ? AND kind = 'ACKNOWLEDGEMENT'",
                caseId));

        first.kill();
        // Acknowledged a second after receipt and the promise kept in time, while the service is down.
        Instant acked = t0.plusSeconds(1);
        kafka.sendAll(
                Topics.CASE_EVENTS,
                List.of(
                        event(caseId, acked, new CaseAcknowledged(caseId, "CMP-2026-990001", UUID.randomUUID(), acked)),
                        event(caseId, acked, new PromiseKept(caseId, "CMP-2026-990001", promiseId, promised, acked))));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis()) + 2_000);

        ServiceProcess second = start("followup-restart-b");
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "KEPT".equals(single(second, "SELECT state FROM promise WHERE id = ?", promiseId))
                        && "MET"
                                .equals(single(
                                        second,
                                        "SELECT state FROM deadline WHERE case_id = ? AND kind = 'ACKNOWLEDGEMENT'",
                                        caseId)));
        // Give a wrongly early firing every chance to show on the topic before looking.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> single(
                                second,
                                "SELECT count(*) FROM outbox WHERE record_key = CAST(? AS text) AND sent_at IS NULL",
                                caseId)
                        .equals("0"));
        List<String> announced = kafka.caseRecords(Topics.CASE_FOLLOWUPS, caseId).stream()
                .map(r -> r.event().type())
                .toList();
        assertTrue(announced.stream().noneMatch(t -> t.equals("redress.promise.missed")), "no miss: " + announced);
        assertTrue(
                kafka.caseRecords(Topics.CASE_FOLLOWUPS, caseId).stream()
                        .noneMatch(r -> r.value().contains("\"ACKNOWLEDGEMENT\"")
                                && r.event().type().equals("redress.deadline.breached")),
                "no acknowledgement breach: " + announced);
        assertEquals(
                acked.toString(),
                Instant.parse(single(
                                second,
                                "SELECT to_char(met_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM deadline "
                                        + "WHERE case_id = ? AND kind = 'ACKNOWLEDGEMENT'",
                                caseId))
                        .toString());
    }

    static CaseEvent event(UUID caseId, Instant at, CasePayload payload) {
        return CaseEvent.create(
                "/intake-service", new Actor(ActorType.AGENT, "ana"), "C-RESTART", payload, null, null, at);
    }
}
