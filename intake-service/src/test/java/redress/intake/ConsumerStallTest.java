package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.EscalationLevel;
import redress.events.Topics;

/**
 * A database that stops answering for longer than SmallRye's commit fuse (3 s in tests) leaves the
 * consumers alive: the stalled record is applied when the database answers again, and so is what
 * arrived meanwhile, without a restart.
 */
@QuarkusTest
@TestSecurity(user = "test-crm", roles = { "complaint-submitter", "agent", "supervisor", "operator" })
class ConsumerStallTest {

    @Inject
    DataSource dataSource;

    @Test
    void aStalledDatabaseDoesNotKillTheConsumers() throws Exception {
        UUID first = Api.newCase(Api.newCustomer());
        UUID second = Api.newCase(Api.newCustomer());
        Api.awaitEvents(first, 1);
        Api.awaitEvents(second, 1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // Every consumer's transaction starts with its ledger row: it waits here while we hold the table.
            s.execute("LOCK TABLE processed_event IN ACCESS EXCLUSIVE MODE");
            Api.KAFKA.send(Topics.CASE_ESCALATIONS, ConsumersTest.escalation(first, EscalationLevel.SUPERVISOR, UUID.randomUUID()));
            Thread.sleep(Duration.ofSeconds(8).toMillis()); // the stall itself: longer than the fuse
            c.rollback();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/complaints/" + first)
                .then().body("level", is("SUPERVISOR")));
        // The channel is still open: a record sent after the stall is applied too, and health says live.
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, ConsumersTest.escalation(second, EscalationLevel.SUPERVISOR, UUID.randomUUID()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/complaints/" + second)
                .then().body("level", is("SUPERVISOR")));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> password;

    /**
     * An outage rather than a stall: for 8 s every session of the service is cut as soon as it
     * appears, so the consumer's transactions fail (connection errors, admin shutdown) and are
     * retried, for longer than the fuse.
     */
    @Test
    void aDatabaseOutageDoesNotKillTheConsumers() throws Exception {
        UUID first = Api.newCase(Api.newCustomer());
        UUID second = Api.newCase(Api.newCustomer());
        Api.awaitEvents(first, 1);
        Api.awaitEvents(second, 1);
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, user, password.orElse(""));
                Statement s = c.createStatement()) {
            Api.KAFKA.send(Topics.CASE_ESCALATIONS, ConsumersTest.escalation(first, EscalationLevel.SUPERVISOR, UUID.randomUUID()));
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int cut = 0;
            boolean sawUnavailable = false;
            while (System.nanoTime() < end) {
                // Callers meanwhile are told to come back, not given a server error.
                var r = given().get("/complaints/" + first).then().extract();
                org.junit.jupiter.api.Assertions.assertTrue(r.statusCode() == 200 || r.statusCode() == 503,
                        "during the outage: " + r.statusCode() + " " + r.asString());
                if (r.statusCode() == 503) {
                    sawUnavailable = true;
                    org.junit.jupiter.api.Assertions.assertEquals("5", r.header("Retry-After"));
                }
                try (var rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                    rs.next();
                    cut += rs.getInt(1);
                }
                Thread.sleep(50);
            }
            org.junit.jupiter.api.Assertions.assertTrue(cut > 0, "the outage cut no session");
            org.junit.jupiter.api.Assertions.assertTrue(sawUnavailable, "no request met the outage");
        }
        Awaitility.await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> given().get("/complaints/" + first)
                .then().body("level", is("SUPERVISOR")));
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, ConsumersTest.escalation(second, EscalationLevel.SUPERVISOR, UUID.randomUUID()));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/complaints/" + second)
                .then().body("level", is("SUPERVISOR")));
        given().get("/q/health/live").then().statusCode(200);
    }
}
