package redress.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.PromiseMade;
import redress.events.payload.PromiseMissed;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.ServiceProcess;

/**
 * Two followup-service processes on one database, from the built jar: every due promise fires
 * exactly once between them, and each of them fires some (its own waker counter); a SIGKILL of one
 * in the middle of firing leaves exactly one {@code promise.missed} per promise (copies of that one
 * event, relayed twice after the kill, share its id and are dropped by consumers); promises that
 * came due while both were down fire after a restart. Through it all, the database records no
 * deadlock: the replicas' wakers fire batches over the same cases at once, and wait for no lock.
 */
class ReplicasIT extends FromTheJar {

    static final String DATABASE = "followup_replicas";
    static final int BURST = 20_000;

    ServiceProcess start(String label) throws Exception {
        return startProcess(DATABASE, label, Map.of("REDRESS_FOLLOWUP_WAKER_BATCH_SIZE", "50"));
    }

    /** Promises on {@code cases} fresh cases, {@code perCase} each, all due at {@code due}. */
    Set<UUID> promise(int cases, int perCase, Instant due) {
        Set<UUID> ids = new HashSet<>();
        List<CaseEvent> events = new ArrayList<>();
        for (int c = 0; c < cases; c++) {
            UUID caseId = UUID.randomUUID();
            for (int i = 0; i < perCase; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                events.add(CaseEvent.create(
                        "/intake-service",
                        new Actor(ActorType.AGENT, "ana"),
                        "C-1",
                        new PromiseMade(caseId, "CMP-2026-000001", id, UUID.randomUUID(), "call back", due),
                        null,
                        null));
            }
        }
        kafka.sendAll(Topics.CASE_EVENTS, events);
        return ids;
    }

    long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        processes.get(0).jdbcUrl(),
                        infra.postgres().user(),
                        infra.postgres().password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** promise.missed events by promise id: each promise's set of distinct event ids. */
    Map<UUID, Set<UUID>> missedEvents(Set<UUID> promises) {
        return kafka.readAll(Topics.CASE_FOLLOWUPS, r -> r.value().contains("redress.promise.missed")).stream()
                .map(KafkaTestClient.Received::event)
                .filter(e ->
                        promises.contains(((PromiseMissed) EventCodec.payload(e).orElseThrow()).promiseId()))
                .collect(Collectors.groupingBy(
                        e -> ((PromiseMissed) EventCodec.payload(e).orElseThrow()).promiseId(),
                        Collectors.mapping(CaseEvent::id, Collectors.toSet())));
    }

    void awaitAllMissed(Set<UUID> promises) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> missedEvents(promises).size() == promises.size());
    }

    /**
     * How many due rows the process's waker has fired (its counter {@code redress_followup_woken_total}):
     * what this replica, and not the other, did.
     */
    static long fired(ServiceProcess p) throws Exception {
        String metrics = p.get("/q/metrics").body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("redress_followup_woken_total")) {
                return (long) Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no redress_followup_woken_total metric");
    }

    static void assertExactlyOneEach(Map<UUID, Set<UUID>> events, int expected) {
        assertEquals(expected, events.size());
        List<UUID> doubled = events.entrySet().stream()
                .filter(e -> e.getValue().size() != 1)
                .map(Map.Entry::getKey)
                .toList();
        assertTrue(doubled.isEmpty(), "promises missed more than once: " + doubled);
    }

    @Test
    void twoReplicasFireEachDuePromiseOnceAndAKilledOneLosesAndDoublesNothing() throws Exception {
        ServiceProcess a = start("followup-replica-a");
        ServiceProcess b = start("followup-replica-b");
        long deadlocks = deadlocks();
        Instant soon = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.MICROS);
        Set<UUID> first = promise(200, 5, soon);
        awaitAllMissed(first);
        assertExactlyOneEach(missedEvents(first), 1000);
        assertEquals(1000, count("SELECT count(*) FROM promise WHERE state = 'MISSED'"));
        // Both replicas shared the firing, and between them fired each promise once.
        long firedByA = fired(a);
        long firedByB = fired(b);
        assertTrue(firedByA > 0 && firedByB > 0, "each replica fired some: a " + firedByA + ", b " + firedByB);
        assertEquals(1000, firedByA + firedByB, "fired by a and by b");

        // A burst due at once (written straight into the table, as after an outage); one replica is
        // killed while the burst is being fired.
        Set<UUID> burst = new HashSet<>();
        String marker = "CMP-BURST-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(
                        a.jdbcUrl(), infra.postgres().user(), infra.postgres().password());
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO promise (id, case_id, reference, text, due_at, state, next_at, version) "
                    + "SELECT gen_random_uuid(), gen_random_uuid(), '" + marker
                    + "', 'call back', now(), 'PENDING', now(), 0 "
                    + "FROM generate_series(1, " + BURST + ")");
            try (ResultSet r = s.executeQuery("SELECT id FROM promise WHERE reference = '" + marker + "'")) {
                while (r.next()) {
                    burst.add(r.getObject(1, UUID.class));
                }
            }
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() ->
                        count("SELECT count(*) FROM promise WHERE state = 'MISSED' AND reference = '" + marker + "'")
                                > 300);
        a.kill();
        long atKill = count("SELECT count(*) FROM promise WHERE state = 'MISSED' AND reference = '" + marker + "'");
        assertTrue(atKill < BURST, "the kill landed in the middle of firing (" + atKill + " of " + BURST + " fired)");
        awaitAllMissed(burst);
        assertExactlyOneEach(missedEvents(burst), BURST);

        // Due while every replica is down: they fire after a restart.
        Instant whileDown = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MICROS);
        Set<UUID> late = promise(50, 2, whileDown);
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM promise WHERE state = 'PENDING'") == 100);
        b.kill();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), whileDown).toMillis()) + 1000);
        start("followup-replica-a2");
        awaitAllMissed(late);
        assertExactlyOneEach(missedEvents(late), 100);
        Thread.sleep(1000); // the server's statistics are flushed at most a second late
        assertEquals(deadlocks, deadlocks(), "deadlocks detected in the database");
    }

    /** The deadlocks PostgreSQL has detected in the replicas' database. */
    long deadlocks() throws SQLException {
        return count("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }
}
