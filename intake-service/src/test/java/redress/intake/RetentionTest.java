package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

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
 * case still open, or closed too recently, is not.
 */
@QuarkusTest
@TestProfile(RetentionTest.On.class)
@TestSecurity(user = "test-crm", roles = { "complaint-submitter", "agent", "supervisor", "operator" })
class RetentionTest {

    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The scheduled run is off here: the test runs it at the moments it chooses.
            return Map.of("redress.customer-keys.retention-after-closure", "P30D",
                    "redress.customer-keys.retention-check-every", "off");
        }
    }

    @Inject
    TestClock clock;
    @Inject
    RetentionErasure retention;

    @AfterEach
    void reset() {
        clock.reset();
    }

    static void close(UUID id) {
        Api.post("/complaints/" + id + "/resolution", "{\"summary\":\"refunded\"}").statusCode(200);
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
        given().get("/complaints/" + a).then().body("customer.erased", is(false)).body("customer.name", is("Ada Lovelace"));

        clock.set(start.plus(Duration.ofDays(31)));
        retention.run();
        for (UUID id : new UUID[] { a, b }) {
            given().get("/complaints/" + id).then().body("customer.erased", is(true)).body("customer.name", nullValue());
        }
        // One case of the customer still open keeps all of them; a case closed 11 days ago is kept.
        given().get("/complaints/" + c).then().body("customer.erased", is(false));
        given().get("/complaints/" + d).then().body("customer.erased", is(false));
        given().get("/complaints/" + e).then().body("customer.erased", is(false));

        CaseEvent erased = Api.awaitEvents(a, 4).stream().filter(x -> x.type().equals("redress.customer.erased"))
                .findFirst().orElseThrow();
        CustomerErased p = EventCodec.payload(erased, CustomerErased.class);
        assertEquals("RETENTION", p.trigger());
        assertEquals("intake-service", erased.actorid());
        assertEquals(start.plus(Duration.ofDays(31)).truncatedTo(java.time.temporal.ChronoUnit.MICROS), p.erasedAt());

        clock.set(start.plus(Duration.ofDays(51)));
        retention.run();
        given().get("/complaints/" + e).then().body("customer.erased", is(true));
        given().get("/complaints/" + c).then().body("customer.erased", is(false));
    }
}
