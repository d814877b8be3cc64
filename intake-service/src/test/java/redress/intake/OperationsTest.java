package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/** What an on-call engineer relies on: health that means something, metrics, the API description. */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class OperationsTest {

    @Test
    void readinessChecksTheDatabaseAndKafka() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", hasItems("kafka", "database", "messaging readiness"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountComplaintsAndShowOutboxLag() {
        Api.newCase(Api.newCustomer());
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/q/metrics")
                        .then()
                        .statusCode(200)
                        .body(containsString("redress_complaints_received_total{channel=\"EMAIL\",severity=\"HIGH\"}"))
                        .body(containsString("redress_outbox_oldest_unsent_age_seconds"))
                        .body(containsString("redress_outbox_unsent")));
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    @jakarta.inject.Inject
    redress.support.outbox.OutboxMaintenance maintenance;

    @jakarta.inject.Inject
    redress.support.outbox.OutboxRelay relay;

    @Test
    void oneRelayHoldsTheLockAndSentRowsAreCleanedUp() throws Exception {
        java.util.UUID id = Api.newCase(Api.newCustomer());
        Api.awaitEvents(id, 1);
        org.junit.jupiter.api.Assertions.assertTrue(relay.isActive());
        // What an operator (and the two-replica system test) reads to see which replica relays.
        given().get("/q/metrics").then().statusCode(200).body(containsString("redress_outbox_relay_active 1.0"));
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    + "AND pid <> pg_backend_pid() AND objid = " + (0x7265647265737301L & 0xffffffffL))) {
                rs.next();
                org.junit.jupiter.api.Assertions.assertEquals(1, rs.getInt(1), "one session holds the relay lock");
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (var rs =
                        s.executeQuery("SELECT sent_at IS NOT NULL FROM outbox WHERE record_key = '" + id + "'")) {
                    return rs.next() && rs.getBoolean(1);
                }
            });
            // A sent row older than the retention goes; a fresh one stays.
            java.util.UUID fresh = Api.newCase(Api.newCustomer());
            Api.awaitEvents(fresh, 1);
            s.executeUpdate("UPDATE outbox SET sent_at = sent_at - interval '2 hours' WHERE record_key = '" + id + "'");
            maintenance.deleteSentRows();
            try (var rs = s.executeQuery("SELECT count(*) FROM outbox WHERE record_key = '" + id + "'")) {
                rs.next();
                org.junit.jupiter.api.Assertions.assertEquals(0, rs.getInt(1));
            }
            try (var rs = s.executeQuery("SELECT count(*) FROM outbox WHERE record_key = '" + fresh + "'")) {
                rs.next();
                org.junit.jupiter.api.Assertions.assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", hasKey("/complaints"))
                .body("paths", hasKey("/complaints/{id}/interactions"))
                .body("paths", hasKey("/customers/{customerId}/complaints"));
    }
}
