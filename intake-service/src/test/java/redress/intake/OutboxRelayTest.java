package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.support.db.ListenConnections;
import redress.support.outbox.Outbox;
import redress.support.outbox.OutboxRelay;
import redress.testsupport.KafkaTestClient;

/**
 * Intake's outbox as operators see it: a record Kafka refuses is listed at {@code /outbox/parked}
 * (with the case's events waiting behind it) and counted in the metrics, and releasing it resumes
 * the case. How the relay itself sends, parks and hands over its role is tested in service-support
 * ({@code redress.support.outbox.OutboxRelayTest}).
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class OutboxRelayTest {

    @Inject
    DataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    ListenConnections connections;

    /**
     * A submission's commit wakes the relay of its own process and sends no NOTIFY: PostgreSQL
     * serialises notifying commits through their WAL flush (docs/performance.md, ninth round).
     */
    @Test
    void aSubmissionWakesItsOwnProcesssRelayWithoutANotification() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(relay::isActive);
        try (ListenConnections.Listening listener =
                connections.open("relay-test-listener", Duration.ofSeconds(5), Duration.ofSeconds(30), null)) {
            listener.listen(Outbox.CHANNEL);
            UUID id = Api.newCase(Api.newCustomer());
            assertEquals(
                    "redress.complaint.received", Api.awaitEvents(id, 1).get(0).type());
            assertFalse(
                    listener.awaitNotification(Duration.ofMillis(500)),
                    "the submission's commit notified the outbox channel");
        }
    }

    @Test
    void aParkedRecordIsListedForOperatorsAndReleasedByThem() throws Exception {
        KafkaTestClient client = KafkaTestClient.forTests();
        String topic = client.newTopic("relay-test-", Map.of("max.message.bytes", "2000"));
        String blocked = "case-" + UUID.randomUUID();
        UUID tooLarge = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            append(c, topic, blocked, UUID.randomUUID(), "first");
            append(c, topic, blocked, tooLarge, "x".repeat(5000));
            append(c, topic, blocked, UUID.randomUUID(), "third");
            c.commit();
        }
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
        // The operator fixes the cause and releases it: the case resumes, in order.
        client.setTopicConfig(topic, "max.message.bytes", "1048588");
        given().post("/outbox/parked/" + tooLarge + "/release").then().statusCode(204);
        given().post("/outbox/parked/" + tooLarge + "/release")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.values(topic, blocked).size() == 3);
        assertEquals(List.of("first", "x".repeat(5000), "third"), client.values(topic, blocked));
    }

    private static void append(Connection c, String topic, String key, UUID id, String payload) throws Exception {
        Outbox.append(c, topic, key, id, "test.relay", payload, "text/plain");
    }
}
