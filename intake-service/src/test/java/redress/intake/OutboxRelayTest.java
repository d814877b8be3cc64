package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.support.db.ListenConnections;
import redress.support.kafka.KafkaClients;
import redress.support.outbox.Outbox;
import redress.support.outbox.OutboxConfig;
import redress.support.outbox.OutboxRelay;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.TestInfrastructure;

/** The relay keeps each case in order when Kafka refuses one record, and hands over its role. */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class OutboxRelayTest {

    private static final long RELAY_LOCK_OBJID = 0x7265647265737301L & 0xffffffffL;

    @Inject
    DataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxConfig config;

    @Inject
    KafkaClients kafka;

    @Inject
    ListenConnections connections;

    @Test
    void aRecordKafkaRefusesHoldsItsCaseInOrderWhileOtherCasesFlow() throws Exception {
        String topic = "relay-test-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("max.message.bytes", "2000"))))
                    .all()
                    .get();
        }
        String blocked = "case-" + UUID.randomUUID();
        String other = "case-" + UUID.randomUUID();
        UUID tooLarge = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            append(c, topic, blocked, UUID.randomUUID(), "first");
            append(c, topic, other, UUID.randomUUID(), "other-1");
            append(c, topic, blocked, tooLarge, "x".repeat(5000));
            append(c, topic, other, UUID.randomUUID(), "other-2");
            append(c, topic, blocked, UUID.randomUUID(), "third");
            append(c, topic, other, UUID.randomUUID(), "other-3");
            c.commit();
        }
        KafkaTestClient client = KafkaTestClient.forTests();
        // The other case flows past the blocked one.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> values(client, topic, other), v -> v.equals(List.of("other-1", "other-2", "other-3")));
        assertEquals(
                List.of("first"), values(client, topic, blocked), "nothing of the case may pass its refused event");
        // The refused record is parked where an operator sees it, with the case's later event behind it.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/outbox/parked")
                        .then()
                        .statusCode(200)
                        .body("find { it.eventId == '" + tooLarge + "' }.caseId", is(blocked))
                        .body("find { it.eventId == '" + tooLarge + "' }.waitingBehind", is(1))
                        .body("find { it.eventId == '" + tooLarge + "' }.error", containsString("RecordTooLarge")));
        given().get("/q/metrics").then().body(containsString("redress_outbox_parked"));
        // Rounds go on (a later case is relayed), and still nothing of the blocked case skipped ahead.
        String later = "case-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            append(c, topic, later, UUID.randomUUID(), "later");
            c.commit();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> values(client, topic, later).size() == 1);
        assertEquals(
                List.of("first"), values(client, topic, blocked), "nothing of the case may pass its refused event");
        assertEquals(1, sendAttempts(tooLarge), "a parked record is not re-sent every round");

        // The operator fixes the cause and releases it: the case resumes, in order.
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, topic),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        given().post("/outbox/parked/" + tooLarge + "/release").then().statusCode(204);
        given().post("/outbox/parked/" + tooLarge + "/release")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> values(client, topic, blocked).size() == 3);
        assertEquals(List.of("first", "x".repeat(5000), "third"), values(client, topic, blocked));
    }

    /**
     * Two relays, one role. A standby does not take it from a live leader. When the server ends the
     * leader's session, and every session the old leader opens again (its host is gone, as far as
     * the server can tell), the standby takes over while the old leader keeps running and competing;
     * once the old leader can reach the server again it stays a standby, and when the active relay
     * stops, its lock is released and the other takes over. Nothing is stopped by hand but the
     * leader of the moment, and a watcher checks every 2 ms that the two are never active at once
     * for longer than the moment between the server ending a session and its relay reading the
     * closed socket (about 0.1 s on a loaded machine; a relay that goes on beside its successor
     * does so for seconds).
     */
    @Test
    void aStandbyTakesOverWhenTheLeadersSessionDies() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isActive);
        OutboxRelay standby = new OutboxRelay(config, connections, kafka);
        AtomicLong bothSince = new AtomicLong();
        AtomicLong longestBoth = new AtomicLong();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleAtFixedRate(
                () -> {
                    long now = System.nanoTime();
                    if (relay.isActive() && standby.isActive()) {
                        bothSince.compareAndSet(0, now);
                        longestBoth.accumulateAndGet(now - bothSince.get(), Math::max);
                    } else {
                        bothSince.set(0);
                    }
                },
                0,
                2,
                TimeUnit.MILLISECONDS);
        standby.start();
        try {
            Awaitility.await()
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> !standby.isActive());
            // The leader's session, as seen by the server: keepalive-enabled, named for what it is.
            assertEquals(
                    List.of("outbox-relay"),
                    strings("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                            + "USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND l.objid = "
                            + RELAY_LOCK_OBJID));
            // The standby's session: the relay's other connection to this database, waiting for the lock.
            int standbySession = Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(
                            () -> strings(
                                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'outbox-relay' AND datname = current_database() "
                                            + "AND pid NOT IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = "
                                            + RELAY_LOCK_OBJID + ")"),
                            l -> l.size() == 1)
                    .stream()
                    .mapToInt(Integer::parseInt)
                    .findFirst()
                    .orElseThrow();

            // The server ends the leader's session, as it does when a vanished client's keepalive
            // fails, and each session the old leader opens again while it would win the lock back
            // first: the standby, which keeps its own session, must be the one to take over.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        strings(
                                "SELECT pg_terminate_backend(pid)::text FROM pg_locks WHERE locktype = 'advisory' AND granted "
                                        + "AND objid = " + RELAY_LOCK_OBJID + " AND pid <> " + standbySession);
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
                    .until(() -> !relay.isActive() && standby.isActive());
            assertEquals(
                    List.of("1"),
                    strings("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted " + "AND objid = "
                            + RELAY_LOCK_OBJID));
            UUID id = Api.newCase(Api.newCustomer());
            Api.awaitEvents(id, 1);

            // Stopping the active relay releases the lock: the other one takes over.
            standby.stop();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isActive);
            UUID next = Api.newCase(Api.newCustomer());
            Api.awaitEvents(next, 1);
        } finally {
            standby.stop();
            watcher.shutdownNow();
        }
        assertTrue(
                longestBoth.get() < Duration.ofSeconds(1).toNanos(),
                "two relays active at once for " + Duration.ofNanos(longestBoth.get()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isActive);
    }

    /** The first column of every row of the query, as text. */
    private List<String> strings(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void append(Connection c, String topic, String key, UUID id, String payload) throws Exception {
        Outbox.append(c, topic, key, id, "test.relay", payload, "text/plain");
    }

    private static List<String> values(KafkaTestClient client, String topic, String key) {
        return client.readAll(topic, r -> key.equals(r.key())).stream()
                .map(KafkaTestClient.Received::value)
                .toList();
    }

    private int sendAttempts(UUID eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT attempts FROM outbox WHERE event_id = '" + eventId + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().bootstrapServers()));
    }
}
