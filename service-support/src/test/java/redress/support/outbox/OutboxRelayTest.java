package redress.support.outbox;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redress.support.db.ListenConnections;
import redress.support.kafka.KafkaClients;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.TestInfrastructure;

/**
 * The relay on its own, against the tests' real PostgreSQL and Kafka: a database of its own with
 * the shared outbox migrations, relays built by hand (no Quarkus), records read back from the topic.
 * It sends each case in order, batch after batch, in waves of one row per case; a record Kafka
 * refuses is parked and holds its case while other cases flow; and of two relays one is active,
 * the other taking over when the leader's session dies or the leader stops.
 */
class OutboxRelayTest {

    /** The low 32 bits of the relay's advisory lock key, as pg_locks shows them. */
    private static final long RELAY_LOCK_OBJID = 0x7265647265737301L & 0xffffffffL;

    private static String url;
    private static String user;
    private static String password;

    private final List<OutboxRelay> relays = new ArrayList<>();
    private final KafkaTestClient client = KafkaTestClient.forTests();

    /** The relay's settings, short enough for a test; the batch size, linger and poll are the test's. */
    private record Config(int batchSize, Duration linger, Duration pollInterval) implements OutboxConfig {
        Config(int batchSize) {
            this(batchSize, Duration.ZERO);
        }

        Config(int batchSize, Duration linger) {
            this(batchSize, linger, Duration.ofMillis(200));
        }

        @Override
        public boolean relayEnabled() {
            return true;
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration sentRetention() {
            return Duration.ofHours(1);
        }

        @Override
        public Duration deliveryTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public Duration leaderTimeout() {
            return Duration.ofSeconds(5);
        }
    }

    @BeforeAll
    static void database() {
        TestInfrastructure infra = TestInfrastructure.get();
        url = infra.database("support_outbox");
        user = infra.postgres().user();
        password = infra.postgres().password();
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/support")
                .load()
                .migrate();
    }

    @BeforeEach
    void emptyOutbox() throws Exception {
        execute("DELETE FROM outbox");
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(OutboxRelay::stop);
    }

    @Test
    void relaysEveryRowOfEachCaseInOrderBatchAfterBatch() throws Exception {
        String topic = newTopic(Map.of());
        List<String> cases =
                IntStream.range(0, 5).mapToObj(i -> "case-" + UUID.randomUUID()).toList();
        // Interleaved, 100 rows: a batch of 7 holds several rows of some cases, sent in several waves.
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 20; i++) {
                for (String key : cases) {
                    append(c, topic, key, UUID.randomUUID(), key + "/" + i);
                }
            }
            c.commit();
        }
        start(new Config(7));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> strings("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), l -> l.equals(List.of("0")));
        for (String key : cases) {
            List<String> expected =
                    IntStream.range(0, 20).mapToObj(i -> key + "/" + i).toList();
            assertEquals(expected, client.values(topic, key), "each case's records in the order they were appended");
        }
        // A row committed while the relay waits goes out too (the commit's notification, or a poll).
        String later = "case-" + UUID.randomUUID();
        try (Connection c = connect()) {
            append(c, topic, later, UUID.randomUUID(), "later");
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.values(topic, later), v -> v.equals(List.of("later")));
    }

    @Test
    void rowsCommittedWhileTheRelayLingersGoOutInOneBatch() throws Exception {
        String topic = newTopic(Map.of());
        OutboxRelay relay = start(new Config(500, Duration.ofMillis(600)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isActive);
        // Ten commits, each of its own transaction, within about 200 ms: the first one's notification
        // wakes the relay, which waits out its linger and then takes all ten at once. Without the
        // linger the first goes out alone, a fifth of a second before the last.
        try (Connection c = connect()) {
            for (int i = 0; i < 10; i++) {
                append(c, topic, "case-" + UUID.randomUUID(), UUID.randomUUID(), "lingered-" + i);
                Thread.sleep(20);
            }
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> strings(
                                "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND topic = '" + topic + "'"),
                        l -> l.equals(List.of("10")));
        double spreadMillis =
                Double.parseDouble(strings("SELECT EXTRACT(EPOCH FROM max(sent_at) - min(sent_at)) * 1000 "
                                + "FROM outbox WHERE topic = '" + topic + "'")
                        .get(0));
        assertTrue(spreadMillis < 50, "the ten rows were marked sent " + spreadMillis + " ms apart: several batches");
    }

    @Test
    void aCommitOfItsOwnProcessOrAnotherReplicasNotificationWakesTheRelayLongBeforeItsPoll() throws Exception {
        String topic = newTopic(Map.of());
        // A poll a minute: anything relayed within the waits below was woken, not polled.
        OutboxRelay relay = start(new Config(500, Duration.ZERO, Duration.ofMinutes(1)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isActive);
        Thread.sleep(300); // past its first read: it now waits
        // As a transaction of the relay's own process appends: no NOTIFY, and a wake once committed.
        String own = "case-" + UUID.randomUUID();
        execute("INSERT INTO outbox (event_id, topic, record_key, event_type, payload, content_type) VALUES ('"
                + UUID.randomUUID() + "', '" + topic + "', '" + own + "', 'test.relay', 'woken', 'text/plain')");
        relay.wake();
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> client.values(topic, own), v -> v.equals(List.of("woken")));
        // As another replica appends: its commit's NOTIFY, seen by the waiting relay.
        relayed(topic, "notified");
    }

    @Test
    void aRecordKafkaRefusesIsParkedAndHoldsItsCaseInOrderWhileOtherCasesFlow() throws Exception {
        String topic = newTopic(Map.of("max.message.bytes", "2000"));
        String blocked = "case-" + UUID.randomUUID();
        String other = "case-" + UUID.randomUUID();
        UUID tooLarge = UUID.randomUUID();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            append(c, topic, blocked, UUID.randomUUID(), "first");
            append(c, topic, other, UUID.randomUUID(), "other-1");
            append(c, topic, blocked, tooLarge, "x".repeat(5000));
            append(c, topic, other, UUID.randomUUID(), "other-2");
            append(c, topic, blocked, UUID.randomUUID(), "third");
            append(c, topic, other, UUID.randomUUID(), "other-3");
            c.commit();
        }
        start(new Config(500));
        // The other case flows past the blocked one.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.values(topic, other), v -> v.equals(List.of("other-1", "other-2", "other-3")));
        // The refused record is parked, with what Kafka said; the case's later row waits, unparked.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> strings("SELECT parked_at IS NOT NULL FROM outbox WHERE event_id = '" + tooLarge + "'"),
                        l -> l.equals(List.of("t")));
        assertTrue(strings("SELECT last_error FROM outbox WHERE event_id = '" + tooLarge + "'")
                .get(0)
                .contains("RecordTooLarge"));
        assertEquals(
                List.of("third:false"),
                strings("SELECT payload || ':' || (sent_at IS NOT NULL OR parked_at IS NOT NULL) FROM outbox "
                        + "WHERE record_key = '" + blocked + "' AND id > (SELECT id FROM outbox WHERE event_id = '"
                        + tooLarge + "')"),
                "the case's later row waits behind the parked one");
        assertEquals(List.of("first"), client.values(topic, blocked), "nothing of the case may pass its refused event");

        // Rounds go on (a later case is relayed), and still nothing of the blocked case skipped ahead.
        String later = "case-" + UUID.randomUUID();
        try (Connection c = connect()) {
            append(c, topic, later, UUID.randomUUID(), "later");
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.values(topic, later).size() == 1);
        assertEquals(List.of("first"), client.values(topic, blocked), "nothing of the case may pass its refused event");
        assertEquals(
                List.of("1"),
                strings("SELECT attempts FROM outbox WHERE event_id = '" + tooLarge + "'"),
                "a parked record is not re-sent every round");

        // The operator fixes the cause and releases it (as ParkedEventsResource does): the case resumes, in order.
        client.setTopicConfig(topic, "max.message.bytes", "1048588");
        execute("UPDATE outbox SET parked_at = NULL WHERE event_id = '" + tooLarge + "'");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.values(topic, blocked).size() == 3);
        assertEquals(List.of("first", "x".repeat(5000), "third"), client.values(topic, blocked));
    }

    /**
     * Two relays, one role. A standby does not take it from a live leader. When the server ends the
     * leader's session, and every session the old leader opens again (its host is gone, as far as
     * the server can tell), the standby takes over while the old leader keeps running and competing;
     * once the old leader can reach the server again it stays a standby, and when the active relay
     * stops, its lock is released and the other takes over. A watcher checks every 2 ms that the two
     * are never active at once for longer than the moment between the server ending a session and
     * its relay reading the closed socket (about 0.1 s on a loaded machine; a relay that goes on
     * beside its successor does so for seconds).
     */
    @Test
    void oneRelayIsActiveAndTheStandbyTakesOverWhenTheLeaderGoes() throws Exception {
        String topic = newTopic(Map.of());
        OutboxRelay leader = start(new Config(500));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(leader::isActive);
        AtomicLong bothSince = new AtomicLong();
        AtomicLong longestBoth = new AtomicLong();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        OutboxRelay standby = new OutboxRelay(new Config(500), connections(), kafkaClients());
        watcher.scheduleAtFixedRate(
                () -> {
                    long now = System.nanoTime();
                    if (leader.isActive() && standby.isActive()) {
                        bothSince.compareAndSet(0, now);
                        longestBoth.accumulateAndGet(now - bothSince.get(), Math::max);
                    } else {
                        bothSince.set(0);
                    }
                },
                0,
                2,
                TimeUnit.MILLISECONDS);
        relays.add(standby);
        standby.start();
        try {
            Awaitility.await()
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> leader.isActive() && !standby.isActive());
            // The leader's session, as seen by the server: named for what it is.
            assertEquals(
                    List.of("outbox-relay"),
                    strings("SELECT a.application_name FROM pg_locks l JOIN "
                            + "pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND l.objid = "
                            + RELAY_LOCK_OBJID));
            // The standby's session: the other relay connection to this database, waiting for the lock.
            int standbySession = Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(
                            () -> strings("SELECT pid FROM pg_stat_activity WHERE application_name = 'outbox-relay' "
                                    + "AND datname = current_database() AND pid NOT IN (SELECT pid FROM pg_locks "
                                    + "WHERE locktype = 'advisory' AND granted AND objid = " + RELAY_LOCK_OBJID + ")"),
                            l -> l.size() == 1)
                    .stream()
                    .mapToInt(Integer::parseInt)
                    .findFirst()
                    .orElseThrow();
            relayed(topic, "before");

            // The server ends the leader's session, as it does when a vanished client's keepalive
            // fails, and each session the old leader opens again while it would win the lock back
            // first: the standby, which keeps its own session, must be the one to take over.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        strings("SELECT pg_terminate_backend(pid)::text FROM pg_locks WHERE locktype = 'advisory' "
                                + "AND granted AND objid = " + RELAY_LOCK_OBJID + " AND pid <> " + standbySession);
                        return standby.isActive();
                    });
            // The old leader, still running, reaches the server again and stays a standby.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(
                            () -> strings("SELECT count(*) FROM pg_stat_activity "
                                    + "WHERE application_name = 'outbox-relay' AND datname = current_database()"),
                            l -> l.equals(List.of("2")));
            Awaitility.await()
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> !leader.isActive() && standby.isActive());
            assertEquals(
                    List.of("1"),
                    strings("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = "
                            + RELAY_LOCK_OBJID));
            relayed(topic, "after the session died");

            // Stopping the active relay releases the lock: the other one takes over.
            standby.stop();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(leader::isActive);
            relayed(topic, "after the stop");
        } finally {
            standby.stop();
            watcher.shutdownNow();
        }
        assertTrue(
                longestBoth.get() < Duration.ofSeconds(1).toNanos(),
                "two relays active at once for " + Duration.ofNanos(longestBoth.get()));
    }

    /** Appends one row of a new case and waits until it is on the topic. */
    private void relayed(String topic, String value) throws Exception {
        String key = "case-" + UUID.randomUUID();
        try (Connection c = connect()) {
            append(c, topic, key, UUID.randomUUID(), value);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.values(topic, key), v -> v.equals(List.of(value)));
    }

    private OutboxRelay start(OutboxConfig config) {
        OutboxRelay relay = new OutboxRelay(config, connections(), kafkaClients());
        relays.add(relay);
        relay.start();
        return relay;
    }

    private static ListenConnections connections() {
        return new ListenConnections(url, user, Optional.of(password));
    }

    private static KafkaClients kafkaClients() {
        return new KafkaClients(
                Map.of("bootstrap.servers", TestInfrastructure.get().bootstrapServers()));
    }

    /**
     * The relay reads the outbox several times a second under load; PostgreSQL must keep one plan for
     * that read rather than plan it on every call. The table's statistics taken while thousands of
     * rows waited (as under load), then all but three sent: the read run as the relay runs it (a
     * server-prepared statement on one connection) is planned afresh only for its first calls, after
     * which the kept, generic plan serves. With the limit bound as a parameter it was planned on
     * every call (the generic plan, costed for a tenth of the waiting rows, never looked cheaper).
     */
    @Test
    void theRelaysReadIsPlannedOnceNotOnEveryCall() throws Exception {
        execute("INSERT INTO outbox (event_id, topic, record_key, event_type, payload, content_type, sent_at) "
                + "SELECT gen_random_uuid(), 't', 'case-' || (g % 5000), 'test.relay', repeat('x', 400), 'text/plain', "
                + "CASE WHEN g % 5 = 0 THEN NULL ELSE now() END FROM generate_series(1, 20000) g");
        execute("ANALYZE outbox");
        // The first three waiting rows (cases 5, 10 and 15) stay unsent.
        execute("UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL "
                + "AND id NOT IN (SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 3)");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        // As the driver does for a statement used five times or more: prepared on the server.
        p.setProperty("prepareThreshold", "1");
        try (Connection c = DriverManager.getConnection(url, p)) {
            for (int i = 0; i < 20; i++) {
                try (PreparedStatement ps = c.prepareStatement(OutboxRelay.unsentQuery(100))) {
                    ps.setArray(1, c.createArrayOf("text", i % 2 == 0 ? new Object[0] : new Object[] {"case-5"}));
                    try (ResultSet rs = ps.executeQuery()) {
                        int n = 0;
                        while (rs.next()) {
                            n++;
                        }
                        assertEquals(i % 2 == 0 ? 3 : 2, n);
                    }
                }
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                            + "WHERE statement LIKE 'WITH parked AS MATERIALIZED%'")) {
                assertTrue(rs.next(), "the read is a prepared statement of the session");
                long generic = rs.getLong(1);
                long custom = rs.getLong(2);
                assertTrue(custom <= 5 && generic >= 15, "custom plans " + custom + ", generic " + generic);
            }
        } finally {
            execute("DELETE FROM outbox");
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(url, user, password);
    }

    private static void append(Connection c, String topic, String key, UUID id, String payload) throws Exception {
        Outbox.append(c, topic, key, id, "test.relay", payload, "text/plain");
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of every row of the query, as text. */
    private static List<String> strings(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** A fresh topic of three partitions with the given settings. */
    private String newTopic(Map<String, String> configs) throws Exception {
        return client.newTopic("relay-test-", configs);
    }
}
