package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.payload.CustomerErased;
import redress.intake.customer.RetentionErasure;

/**
 * The retention setting, on: a customer whose cases are all closed for longer than the retention
 * is erased by the service itself, with the shared clock moved instead of waited for; one with a
 * case still open, or closed too recently, is not, nor one whose new complaint commits while the
 * rule is deciding.
 */
@QuarkusTest
@TestProfile(RetentionTest.On.class)
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class RetentionTest {

    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The scheduled run is off here: the test runs it at the moments it chooses.
            return Map.of(
                    "redress.customer-keys.retention-after-closure",
                    "P30D",
                    "redress.customer-keys.retention-check-every",
                    "off");
        }
    }

    @Inject
    TestClock clock;

    @Inject
    RetentionErasure retention;

    @Inject
    DataSource ds;

    @AfterEach
    void reset() {
        clock.reset();
    }

    static void close(UUID id) {
        Api.post("/complaints/" + id + "/resolution", Api.resolution("refunded"))
                .statusCode(200);
        Api.post("/complaints/" + id + "/status", "{\"status\":\"CLOSED\"}").statusCode(200);
    }

    @Test
    void aClosedCasesCustomerIsErasedOnceTheRetentionHasPassed() {
        Instant start = Instant.now();
        clock.set(start);
        String closed = Api.newCustomer();
        String stillOpen = Api.newCustomer();
        String closedLater = Api.newCustomer();
        UUID a = Api.newCase(closed);
        UUID b = Api.newCase(closed);
        UUID c = Api.newCase(stillOpen);
        UUID d = Api.newCase(stillOpen);
        UUID e = Api.newCase(closedLater);
        close(a);
        close(b);
        close(c);
        clock.set(start.plus(Duration.ofDays(20)));
        close(e);

        clock.set(start.plus(Duration.ofDays(29)));
        retention.run();
        given().get("/complaints/" + a)
                .then()
                .body("customer.erased", is(false))
                .body("customer.name", is("Ada Lovelace"));

        clock.set(start.plus(Duration.ofDays(31)));
        retention.run();
        for (UUID id : new UUID[] {a, b}) {
            given().get("/complaints/" + id)
                    .then()
                    .body("customer.erased", is(true))
                    .body("customer.name", nullValue());
        }
        // One case of the customer still open keeps all of them; a case closed 11 days ago is kept.
        given().get("/complaints/" + c).then().body("customer.erased", is(false));
        given().get("/complaints/" + d).then().body("customer.erased", is(false));
        given().get("/complaints/" + e).then().body("customer.erased", is(false));

        CaseEvent erased = Api.awaitEvents(a, 4).stream()
                .filter(x -> x.type().equals("redress.customer.erased"))
                .findFirst()
                .orElseThrow();
        CustomerErased p = EventCodec.payload(erased, CustomerErased.class);
        assertEquals("RETENTION", p.trigger());
        assertEquals("intake-service", erased.actorid());
        assertEquals(start.plus(Duration.ofDays(31)).truncatedTo(ChronoUnit.MICROS), p.erasedAt());

        clock.set(start.plus(Duration.ofDays(51)));
        retention.run();
        given().get("/complaints/" + e).then().body("customer.erased", is(true));
        given().get("/complaints/" + c).then().body("customer.erased", is(false));
    }

    /**
     * A complaint that commits after the rule found the customer due, but before the erasure took
     * the customer's key: it was sealed with the key about to be destroyed, and an erasure that
     * trusted the earlier decision would take the new case's customer with it. The interleaving is
     * forced with the key row's lock: held here, the submission waits for it first and the rule's
     * erasure second, so the complaint commits in between.
     */
    @Test
    void aComplaintArrivingWhileTheRuleDecidesKeepsItsCustomer() throws Exception {
        Instant start = Instant.now();
        clock.set(start);
        String customer = Api.newCustomer();
        UUID old = Api.newCase(customer);
        close(old);
        clock.set(start.plus(Duration.ofDays(31)));

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock =
                    holder.prepareStatement("SELECT 1 FROM customer_key WHERE customer_id = ? FOR UPDATE")) {
                lock.setString(1, customer);
                lock.executeQuery().close();
            }
            Future<UUID> complaint = threads.submit(() -> Api.newCase(customer));
            awaitWaitingForKeyRows(1);
            Future<Integer> rule = threads.submit(retention::run);
            awaitWaitingForKeyRows(2);
            holder.commit();

            UUID fresh = complaint.get(30, TimeUnit.SECONDS);
            rule.get(30, TimeUnit.SECONDS);
            given().get("/complaints/" + fresh)
                    .then()
                    .statusCode(200)
                    .body("customer.erased", is(false))
                    .body("customer.name", is("Ada Lovelace"));
            given().get("/complaints/" + old).then().body("customer.erased", is(false));
        } finally {
            threads.shutdownNow();
        }
    }

    /** Until {@code n} sessions of this database wait for a lock on a customer's key row. */
    private void awaitWaitingForKeyRows(int n) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try (Connection c = ds.getConnection();
                            PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                                    + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM customer_key%FOR UPDATE%' "
                                    + "AND pid <> pg_backend_pid()")) {
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getInt(1) >= n;
                        }
                    }
                });
    }
}
