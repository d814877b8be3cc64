package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.CaseReviewed;
import redress.testsupport.KafkaTestClient;

/**
 * Issue 31: the post-case review, seed 001's "Learn from the experience": "Reflect on what went
 * well and what could have been handled better". Only after resolution; each review an event.
 */
@QuarkusTest
@TestSecurity(
        user = "test-agent",
        roles = {"complaint-submitter", "agent", "supervisor"})
class ReviewTest {

    @Inject
    DataSource ds;

    static ValidatableResponse review(UUID id, String json) {
        return Api.post("/complaints/" + id + "/review", json);
    }

    @Test
    void aResolvedCaseIsReviewedMoreThanOnceEachReviewAnEvent() {
        UUID id = Api.newCaseWithProfile("UK_FCA_DISP");
        Api.post("/complaints/" + id + "/resolution", Api.resolution("refunded"))
                .statusCode(200);

        review(id, """
                {"wentWell":" Kept the customer informed ","couldBeBetter":"Escalated a day late",
                 "rootCause":"TRANSACTION_ERROR"}""")
                .statusCode(201)
                .body("caseId", is(id.toString()))
                .body("wentWell", is("Kept the customer informed"))
                .body("rootCause", is("TRANSACTION_ERROR"))
                .body("reviewedBy", is("test-agent"));
        Api.post("/complaints/" + id + "/status", "{\"status\":\"CLOSED\"}").statusCode(200);
        review(id, "{\"couldBeBetter\":\"Apologised too often\",\"rootCause\":\" \"}")
                .statusCode(201)
                .body("wentWell", nullValue())
                .body("rootCause", nullValue());

        given().get("/complaints/" + id + "/reviews")
                .then()
                .statusCode(200)
                .body("", hasSize(2))
                .body("[0].couldBeBetter", is("Escalated a day late"))
                .body("[1].couldBeBetter", is("Apologised too often"));

        List<CaseReviewed> reviewed = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> Api.KAFKA.caseRecords(Topics.CASE_EVENTS, id).stream()
                                .map(KafkaTestClient.Received::event)
                                .filter(e -> e.type().equals("redress.case.reviewed"))
                                .map(e -> EventCodec.payload(e, CaseReviewed.class))
                                .toList(),
                        l -> l.size() == 2);
        CaseReviewed first = reviewed.get(0);
        assertEquals("Kept the customer informed", first.wentWell());
        assertEquals("TRANSACTION_ERROR", first.rootCause());
        assertEquals(id, first.caseId());
        assertEquals(null, reviewed.get(1).taxonomyVersion());
        CaseEvent any = Api.KAFKA.caseRecords(Topics.CASE_EVENTS, id).stream()
                .map(KafkaTestClient.Received::event)
                .filter(e -> e.type().equals("redress.case.reviewed"))
                .findFirst()
                .orElseThrow();
        assertEquals("test-agent", any.actorid());
    }

    @Test
    void refusedReviewsWriteNothing() {
        UUID open = Api.newCaseWithProfile("UK_FCA_DISP");
        DbSnapshot.refusedWritingNothing(
                        ds, () -> review(open, "{\"wentWell\":\"fine\"}"), 409, "a review before resolution")
                .body("detail", containsString("OPEN"));

        UUID id = Api.newCaseWithProfile("UK_FCA_DISP");
        Api.post("/complaints/" + id + "/resolution", Api.resolution("refunded"))
                .statusCode(200);
        DbSnapshot.refusedWritingNothing(
                        ds, () -> review(id, "{\"wentWell\":\" \",\"couldBeBetter\":\"\"}"), 400, "an empty review")
                .body("errors[0].field", is("wentWell"));
        DbSnapshot.refusedWritingNothing(ds, () -> review(id, "{}"), 400, "a review saying nothing");
        DbSnapshot.refusedWritingNothing(
                        ds,
                        () -> review(id, "{\"wentWell\":\"fine\",\"rootCause\":\"BAD_LUCK\"}"),
                        422,
                        "a review with an unknown root cause")
                .body("type", is("urn:redress:problem:unknown-root-cause"));
        DbSnapshot.refusedWritingNothing(
                ds, () -> review(id, "{\"wentWell\":\"" + "x".repeat(2001) + "\"}"), 400, "a review too long");
        DbSnapshot.refusedWritingNothing(
                ds, () -> review(UUID.randomUUID(), "{\"wentWell\":\"fine\"}"), 404, "a review of no case");
        given().get("/complaints/" + id + "/reviews").then().statusCode(200).body("", hasSize(0));
    }
}
