package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import redress.testsupport.SecurityChecks;
import redress.testsupport.SseClient;
import redress.testsupport.TestTokens;

/** Who may do what (docs/security.md), with real tokens: no test identity here. */
@QuarkusTest
class SecurityTest extends redress.testsupport.EndpointTableTest {

    @Override
    protected String service() {
        return "audit-service";
    }

    @Test
    void aBrowserMayWatchTheStreamWithAShortLivedTokenInTheUrlOrACookie() throws Exception {
        String shortLived = TestTokens.keys().issue("ops-browser", Set.of("operator"), Duration.ofMinutes(5));
        try (SseClient s = SseClient.open(base.getPort(), "/streams/cases?access_token=" + shortLived, Map.of())) {
            assertEquals(200, s.status);
        }
        try (SseClient s =
                SseClient.open(base.getPort(), "/streams/cases", Map.of("Cookie", "redress_token=" + shortLived))) {
            assertEquals(200, s.status);
        }
        // A token good for a day does not belong in a URL.
        String longLived = TestTokens.keys().issue("ops-browser", Set.of("operator"), Duration.ofHours(24));
        try (SseClient s = SseClient.open(base.getPort(), "/streams/cases?access_token=" + longLived, Map.of())) {
            assertEquals(401, s.status);
        }
        // Elsewhere a token in the URL is not looked at.
        given().get("/audit/entries?access_token=" + shortLived).then().statusCode(401);
        // A valid URL token without the role is still refused.
        String auditorOnly = TestTokens.keys().issue("aud", Set.of("auditor"), Duration.ofMinutes(5));
        try (SseClient s = SseClient.open(base.getPort(), "/streams/cases?access_token=" + auditorOnly, Map.of())) {
            assertEquals(403, s.status);
        }
    }

    @Test
    void aStreamEndsWhenTheTokenThatOpenedItExpires() throws Exception {
        String brief = TestTokens.keys().issue("ops-browser", Set.of("operator"), Duration.ofSeconds(4));
        try (SseClient s = SseClient.open(base.getPort(), "/streams/cases?access_token=" + brief, Map.of())) {
            assertEquals(200, s.status);
            SseClient.SseEvent last = null;
            for (SseClient.SseEvent e = s.next(Duration.ofSeconds(20)); e != null; e = s.next(Duration.ofSeconds(20))) {
                last = e;
                if ("expired".equals(e.event())) {
                    break;
                }
            }
            assertNotNull(last, "the stream said nothing before it ended");
            assertEquals("expired", last.event(), "the last event says why the stream ends");
            assertEquals(null, s.next(Duration.ofSeconds(10)), "and then it ends");
        }
    }

    @Test
    void anonymousCallersSeeNoInternals() {
        String health = given().get("/q/health").then().extract().asString();
        String errors =
                given().get("/audit/verify").then().statusCode(401).extract().asString()
                        + given().header("Authorization", TestTokens.bearer("a", "auditor"))
                                .get("/audit/verify?fromSeq=x")
                                .then()
                                .statusCode(400)
                                .extract()
                                .asString();
        SecurityChecks.assertShowsNoInternals(health, errors);
    }
}
