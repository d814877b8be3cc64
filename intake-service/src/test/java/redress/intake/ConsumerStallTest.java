package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.EscalationLevel;
import redress.events.Topics;

/**
 * A database that stops answering, or is away, for longer than SmallRye's commit fuse (3 s in
 * tests) leaves the consumers alive: the record that waited is applied when the database is back,
 * and so is what arrives afterwards, without a restart.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class ConsumerStallTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void aStalledDatabaseDoesNotKillTheConsumers() throws Exception {
        UUID first = publishedCase();
        UUID second = publishedCase();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // Every consumer's transaction starts with its ledger row: it waits here while we hold the table.
            s.execute("LOCK TABLE processed_event IN ACCESS EXCLUSIVE MODE");
            escalate(first);
            Thread.sleep(Duration.ofSeconds(8).toMillis()); // the stall itself: longer than the fuse
            c.rollback();
        }
        awaitSupervisorLevel(first, Duration.ofSeconds(20));
        // The channel is still open: a record sent after the stall is applied too, and health says live.
        escalate(second);
        awaitSupervisorLevel(second, Duration.ofSeconds(20));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * An outage rather than a stall: for 8 s every session of the service is cut as soon as it
     * appears, so the consumer's transactions fail (connection errors, admin shutdown) and are
     * retried, for longer than the fuse.
     */
    @Test
    void aDatabaseOutageDoesNotKillTheConsumers() throws Exception {
        UUID first = publishedCase();
        UUID second = publishedCase();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password.orElse(""));
                Statement s = c.createStatement()) {
            escalate(first);
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int cut = 0;
            boolean sawUnavailable = false;
            while (System.nanoTime() < end) {
                // Callers meanwhile are told to come back, not given a server error.
                var r = given().get("/complaints/" + first).then().extract();
                assertTrue(
                        r.statusCode() == 200 || r.statusCode() == 503,
                        "during the outage: " + r.statusCode() + " " + r.asString());
                if (r.statusCode() == 503) {
                    sawUnavailable = true;
                    assertEquals("5", r.header("Retry-After"));
                }
                try (ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                    rs.next();
                    cut += rs.getInt(1);
                }
                Thread.sleep(50);
            }
            assertTrue(cut > 0, "the outage cut no session");
            assertTrue(sawUnavailable, "no request met the outage");
        }
        awaitSupervisorLevel(
                first, Duration.ofSeconds(90)); // generous: retries back off up to 10 s, and the machine may be busy
        escalate(second);
        awaitSupervisorLevel(second, Duration.ofSeconds(30));
        given().get("/q/health/live").then().statusCode(200);
    }

    /** A new case whose first event is on the topic. */
    private static UUID publishedCase() {
        UUID id = Api.newCase(Api.newCustomer());
        Api.awaitEvents(id, 1);
        return id;
    }

    private static void escalate(UUID caseId) {
        Api.KAFKA.send(
                Topics.CASE_ESCALATIONS,
                ConsumersTest.escalation(caseId, EscalationLevel.SUPERVISOR, UUID.randomUUID()));
    }

    private static void awaitSupervisorLevel(UUID caseId, Duration within) {
        Awaitility.await()
                .atMost(within)
                .untilAsserted(() -> given().get("/complaints/" + caseId).then().body("level", is("SUPERVISOR")));
    }
}
