package redress.intake;

import static org.hamcrest.Matchers.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A client over its submission limit gets 429 with Retry-After; others are not slowed by it. */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "redress.rate-limit.capacity",
                    "3",
                    "redress.rate-limit.refill",
                    "1",
                    "redress.rate-limit.period",
                    "60s");
        }
    }

    @Test
    void aClientOverItsLimitIsToldWhenToComeBack() {
        for (int i = 0; i < 3; i++) {
            SecurityTest.submitAs("busy-crm", Api.newCustomer()).statusCode(201);
        }
        SecurityTest.submitAs("busy-crm", Api.newCustomer())
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("status", is(429))
                .body("type", is("urn:redress:problem:rate-limited"));
        // The limit is the client's own: another submitter is served.
        SecurityTest.submitAs("quiet-crm", Api.newCustomer()).statusCode(201);
    }
}
