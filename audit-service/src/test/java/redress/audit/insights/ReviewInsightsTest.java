package redress.audit.insights;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Outcome;
import redress.events.Severity;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseResolved;
import redress.events.payload.CaseReviewed;
import redress.testsupport.KafkaTestClient;

/**
 * Issue 31: post-case reviews counted in insights. Five cases around June 2018 (a window no other
 * test of this module uses); every expected count is worked out by hand in the comments.
 */
@QuarkusTest
@TestSecurity(
        user = "test-supervisor",
        roles = {"supervisor"})
class ReviewInsightsTest {

    static final KafkaTestClient KAFKA = KafkaTestClient.forTests();
    static final Actor AGENT = new Actor(ActorType.AGENT, "agent-7");

    static void publish(UUID caseId, CasePayload p, String time) {
        CaseEvent e = CaseEvent.create("/intake-service", AGENT, "C-" + caseId, p, null, null, Instant.parse(time));
        KAFKA.send(e.eventType().orElseThrow().topic(), e);
    }

    static void resolved(UUID caseId, Outcome outcome, String time) {
        publish(
                caseId,
                new CaseResolved(
                        caseId,
                        "CMP-" + caseId,
                        CaseStatus.IN_PROGRESS,
                        "sorted",
                        Severity.LOW,
                        Instant.parse(time),
                        outcome,
                        outcome == null ? null : "PRICING",
                        outcome == null ? null : "CURRENT_ACCOUNTS",
                        outcome == null ? null : 1),
                time);
    }

    static void reviewed(UUID caseId, String rootCause, String time) {
        publish(
                caseId,
                new CaseReviewed(
                        caseId,
                        "CMP-" + caseId,
                        UUID.randomUUID(),
                        "listened",
                        "called back sooner",
                        rootCause,
                        rootCause == null ? null : 1,
                        Instant.parse(time)),
                time);
    }

    @Test
    void reviewsOfTheCasesResolvedInAWindowAndTheReviewsMadeInIt() {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        UUID a = UUID.randomUUID(); // resolved UPHELD in June, reviewed in June: resolved, reviewed, a review
        UUID b =
                UUID.randomUUID(); // resolved NOT_UPHELD in June, reviewed in July: resolved and reviewed, no review in
        // June
        UUID c = UUID.randomUUID(); // resolved NOT_UPHELD in June, never reviewed
        UUID d = UUID.randomUUID(); // resolved in May, reviewed in June without a cause: only a review (NONE)
        UUID e = UUID.randomUUID(); // resolved without an outcome, then again PARTLY_UPHELD: one case, the last outcome
        resolved(a, Outcome.UPHELD, "2018-06-05T10:00:00Z");
        reviewed(a, "DELAY-" + tag, "2018-06-10T10:00:00Z");
        resolved(b, Outcome.NOT_UPHELD, "2018-06-06T10:00:00Z");
        reviewed(b, "DELAY-" + tag, "2018-07-15T10:00:00Z");
        resolved(c, Outcome.NOT_UPHELD, "2018-06-07T10:00:00Z");
        resolved(d, Outcome.UPHELD, "2018-05-20T10:00:00Z");
        reviewed(d, null, "2018-06-12T10:00:00Z");
        resolved(e, null, "2018-06-08T10:00:00Z");
        resolved(e, Outcome.PARTLY_UPHELD, "2018-06-20T10:00:00Z");

        // Until every event is in the log: 4 resolutions and 2 reviews in the window's cases.
        JsonPath r = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> given().get("/insights/reviews?from=2018-06-01T00:00:00Z&to=2018-07-01T00:00:00Z")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        j -> j.getInt("resolvedCases") == 4
                                && j.getInt("reviewedCases") == 2
                                && j.getInt("reviews") == 2);

        assertEquals(0.5, r.getDouble("reviewedShare"), 1e-9);
        assertEquals(
                List.of(
                        Map.of("outcome", "NOT_UPHELD", "resolved", 2, "reviewed", 1, "reviewedShare", 0.5f),
                        Map.of("outcome", "PARTLY_UPHELD", "resolved", 1, "reviewed", 0, "reviewedShare", 0.0f),
                        Map.of("outcome", "UPHELD", "resolved", 1, "reviewed", 1, "reviewedShare", 1.0f)),
                r.getList("byOutcome"));
        assertEquals(
                List.of(Map.of("rootCause", "DELAY-" + tag, "reviews", 1), Map.of("rootCause", "NONE", "reviews", 1)),
                r.getList("byRootCause"));
    }

    @Test
    @TestSecurity(
            user = "test-agent",
            roles = {"agent"})
    void anAgentMayNotReadThem() {
        given().get("/insights/reviews").then().statusCode(403);
    }

    @Test
    void aBadWindowIsAProblem() {
        given().get("/insights/reviews?from=2018-06-01T00:00:00Z")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/insights/reviews?from=2010-01-01T00:00:00Z&to=2018-01-01T00:00:00Z")
                .then()
                .statusCode(400)
                .body("status", is(400));
    }
}
