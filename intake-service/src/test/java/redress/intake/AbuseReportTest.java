package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import redress.events.CaseEvent;
import redress.events.CustomerTone;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.AbuseReportAcknowledged;
import redress.events.payload.AbuseReported;
import redress.events.payload.AgentDebriefed;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.Rows;
import redress.testsupport.TestTokens;

/**
 * Issue 31, abuse is always reported: seed 001's "If they become abusive or threatening, end the
 * conversation and report it to your supervisor". Ending such a conversation files a report
 * whatever the case's level, without moving the case; another supervisor acknowledges it once; the
 * agent's break is recorded once as a debrief; a refused call changes nothing.
 */
@QuarkusTest
class AbuseReportTest {

    @Inject
    DataSource ds;

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles))
                .contentType(ContentType.JSON);
    }

    static RequestSpecification agent(String subject) {
        return as(subject, "agent");
    }

    static RequestSpecification supervisor(String subject) {
        return as(subject, "supervisor");
    }

    /** A new case, assigned to {@code assignee} at {@code level}. */
    static UUID caseHeldBy(String assignee, EscalationLevel level) {
        String id = as("test-crm", "complaint-submitter")
                .body(Api.complaintJson(Api.newCustomer()))
                .post("/complaints")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        supervisor("sue")
                .body("{\"assignee\":\"" + assignee + "\",\"level\":\"" + level + "\",\"briefing\":\"yours\"}")
                .post("/complaints/" + id + "/assignment")
                .then()
                .statusCode(200);
        return UUID.fromString(id);
    }

    static ValidatableResponse contact(RequestSpecification who, UUID caseId, CustomerTone tone, String text) {
        return who.body("{\"kind\":\"CUSTOMER_CONTACT\",\"direction\":\"INBOUND\",\"channel\":\"PHONE\",\"tone\":\""
                        + tone + "\",\"text\":\"" + text + "\"}")
                .post("/complaints/" + caseId + "/interactions")
                .then()
                .statusCode(201);
    }

    static ValidatableResponse record(RequestSpecification who, UUID caseId, String kind, String text) {
        return who.body("{\"kind\":\"" + kind + "\",\"text\":\"" + text + "\"}")
                .post("/complaints/" + caseId + "/interactions")
                .then()
                .statusCode(201);
    }

    static ValidatableResponse end(RequestSpecification who, UUID caseId) {
        return record(who, caseId, "CONVERSATION_ENDED", "I am ending this call now.");
    }

    /** The case's events of {@code type} on case.events, once there are {@code n}. */
    static List<CaseEvent> awaitOfType(UUID caseId, String type, int n) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> Api.KAFKA.caseRecords(Topics.CASE_EVENTS, caseId).stream()
                                .map(KafkaTestClient.Received::event)
                                .filter(e -> e.type().equals(type))
                                .toList(),
                        l -> l.size() >= n);
    }

    long reports(UUID caseId) throws Exception {
        return Rows.count(ds, "SELECT count(*) FROM abuse_report WHERE complaint_id = ?", caseId);
    }

    @Test
    void endingAnAbusiveConversationReportsItAtAgentLevelWithoutMovingTheCase() throws Exception {
        UUID id = caseHeldBy("amy", EscalationLevel.AGENT);
        String abusive = contact(agent("amy"), id, CustomerTone.ABUSIVE, "Customer shouts and insults the agent")
                .body("abuseReport", nullValue())
                .extract()
                .path("id");
        String warning = record(
                        agent("amy"), id, "BOUNDARY_WARNING", "I will not continue if you speak to me like that.")
                .body("abuseReport", nullValue())
                .extract()
                .path("id");
        assertEquals(0, reports(id), "a boundary warning is not a report");

        ValidatableResponse ended = end(agent("amy"), id)
                .body("abuseReport.id", notNullValue())
                .body("abuseReport.status", is("OPEN"))
                .body("abuseReport.breakOffered", is(true));
        String endedId = ended.extract().path("id");
        String reportId = ended.extract().path("abuseReport.id");
        ended.body("abuseReport.href", is("/abuse-reports/" + reportId))
                .body("abuseReport.debrief", is("/abuse-reports/" + reportId + "/debrief"));

        supervisor("sue")
                .get("/complaints/" + id)
                .then()
                .statusCode(200)
                .body("level", is("AGENT"))
                .body("assignee", is("amy"));

        supervisor("sam")
                .queryParam("status", "OPEN")
                .get("/abuse-reports")
                .then()
                .statusCode(200)
                .body("id", hasItem(reportId));
        supervisor("sam")
                .get("/abuse-reports/" + reportId)
                .then()
                .statusCode(200)
                .body("caseId", is(id.toString()))
                .body("reference", notNullValue())
                .body("interactionId", is(endedId))
                .body("tone", is("ABUSIVE"))
                .body("endedBy", is("amy"))
                .body("level", is("AGENT"))
                .body("status", is("OPEN"))
                .body("breakOffered", is(true))
                .body("debrief", nullValue())
                .body("recordIds", contains(abusive, warning, endedId))
                .body("record.id", contains(abusive, warning, endedId))
                .body("record[0].text", is("Customer shouts and insults the agent"));

        AbuseReported reported =
                EventCodec.payload(awaitOfType(id, "redress.abuse.reported", 1).get(0), AbuseReported.class);
        assertEquals(UUID.fromString(reportId), reported.reportId());
        assertEquals(UUID.fromString(endedId), reported.interactionId());
        assertEquals(CustomerTone.ABUSIVE, reported.tone());
        assertEquals("amy", reported.endedBy());
        assertEquals(EscalationLevel.AGENT, reported.level());
        assertEquals(
                List.of(UUID.fromString(abusive), UUID.fromString(warning), UUID.fromString(endedId)),
                reported.record());
        assertTrue(reported.breakOffered());
        assertEquals(
                1,
                Api.types(Api.awaitEvents(id, 1)).stream()
                        .filter("redress.case.assigned"::equals)
                        .count(),
                "the report assigned nothing: only the test's own assignment");
    }

    @Test
    void aThreateningConversationIsReportedAtManagerLevelTooAndOnlyThatConversation() throws Exception {
        UUID id = caseHeldBy("mo", EscalationLevel.MANAGER);
        contact(agent("mo"), id, CustomerTone.ANGRY, "Customer raises their voice");
        contact(agent("mo"), id, CustomerTone.THREATENING, "Customer threatens the agent");
        String reportId = end(agent("mo"), id).extract().path("abuseReport.id");
        supervisor("sam")
                .get("/abuse-reports/" + reportId)
                .then()
                .statusCode(200)
                .body("tone", is("THREATENING"))
                .body("level", is("MANAGER"))
                .body("record", hasSize(3));
        supervisor("sue")
                .get("/complaints/" + id)
                .then()
                .body("level", is("MANAGER"))
                .body("assignee", is("mo"));

        // A later, calm conversation is not reported: its own last tone counts, not the case's past.
        contact(agent("mo"), id, CustomerTone.CALM, "Customer calls back calmly");
        end(agent("mo"), id).body("abuseReport", nullValue());
        // Ending again with no contact in between reports nothing either.
        end(agent("mo"), id).body("abuseReport", nullValue());
        assertEquals(1, reports(id));

        supervisor("sam")
                .queryParam("caseId", id.toString())
                .get("/abuse-reports")
                .then()
                .statusCode(200)
                .body("id", contains(reportId))
                .body("[0].record", nullValue())
                .body("[0].recordIds", hasSize(3));
    }

    @Test
    void anotherSupervisorAcknowledgesOnce() throws Exception {
        UUID id = caseHeldBy("sue", EscalationLevel.SUPERVISOR);
        contact(supervisor("sue"), id, CustomerTone.ABUSIVE, "Customer swears at the supervisor");
        String reportId = end(supervisor("sue"), id).extract().path("abuseReport.id");
        String ack = "/abuse-reports/" + reportId + "/acknowledge";

        supervisor("sue")
                .post(ack)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("another supervisor"));
        agent("amy").post(ack).then().statusCode(403).contentType("application/problem+json");
        supervisor("sam")
                .post("/abuse-reports/" + UUID.randomUUID() + "/acknowledge")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        supervisor("sam")
                .post("/abuse-reports/not-a-uuid/acknowledge")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertEquals(
                0,
                Rows.count(
                        ds,
                        "SELECT count(*) FROM abuse_report WHERE acknowledged_at IS NOT NULL AND complaint_id = ?",
                        id));

        supervisor("sam")
                .post(ack)
                .then()
                .statusCode(200)
                .body("status", is("ACKNOWLEDGED"))
                .body("acknowledgedBy", is("sam"))
                .body("acknowledgedAt", notNullValue())
                .body("record", hasSize(2));
        supervisor("sal")
                .post(ack)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("already-acknowledged"));

        supervisor("sal")
                .queryParam("status", "OPEN")
                .get("/abuse-reports")
                .then()
                .statusCode(200)
                .body("id", not(hasItem(reportId)));
        supervisor("sal")
                .queryParam("status", "ACKNOWLEDGED")
                .get("/abuse-reports")
                .then()
                .statusCode(200)
                .body("id", hasItem(reportId));
        supervisor("sal")
                .queryParam("status", "CLOSED")
                .get("/abuse-reports")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");

        List<CaseEvent> acks = awaitOfType(id, "redress.abuse.acknowledged", 1);
        AbuseReportAcknowledged a = EventCodec.payload(acks.get(0), AbuseReportAcknowledged.class);
        assertEquals("sam", a.acknowledgedBy());
        assertEquals("sue", a.endedBy());
        assertEquals("sam", acks.get(0).actorid());
        Thread.sleep(500);
        assertEquals(1, awaitOfType(id, "redress.abuse.acknowledged", 1).size(), "acknowledged once");
    }

    @Test
    void theAgentRecordsTheirDebriefOnceAndTheNoteStaysHere() throws Exception {
        UUID id = caseHeldBy("ann", EscalationLevel.AGENT);
        contact(agent("ann"), id, CustomerTone.THREATENING, "Customer threatens to come to the branch");
        String reportId = end(agent("ann"), id).extract().path("abuseReport.id");
        String debrief = "/abuse-reports/" + reportId + "/debrief";

        // Another agent neither reads nor debriefs it; the agent's list holds only their own reports.
        agent("bob").get("/abuse-reports/" + reportId).then().statusCode(403);
        agent("bob")
                .body("{\"breakTaken\":true}")
                .post(debrief)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        agent("bob").get("/abuse-reports").then().statusCode(200).body("id", not(hasItem(reportId)));
        agent("ann").get("/abuse-reports").then().statusCode(200).body("id", hasItem(reportId));
        // Bad bodies.
        agent("ann")
                .body("{\"breakTaken\":")
                .post(debrief)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        agent("ann")
                .body("{}")
                .post(debrief)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(containsString("breakTaken")));
        agent("ann")
                .body("{\"breakTaken\":false,\"breakMinutes\":10}")
                .post(debrief)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("breakMinutes"));
        agent("ann")
                .body("{\"breakTaken\":true,\"breakMinutes\":0}")
                .post(debrief)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        agent("ann")
                .body("{\"breakTaken\":true}")
                .post("/abuse-reports/" + UUID.randomUUID() + "/debrief")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertEquals(
                0,
                Rows.count(
                        ds,
                        "SELECT count(*) FROM abuse_report WHERE debriefed_at IS NOT NULL AND complaint_id = ?",
                        id),
                "refused debriefs wrote nothing");

        agent("ann")
                .body("{\"breakTaken\":true,\"breakMinutes\":15,\"note\":\" Shaken; talked it through with Sam \"}")
                .post(debrief)
                .then()
                .statusCode(200)
                .body("debrief.debriefedBy", is("ann"))
                .body("debrief.breakTaken", is(true))
                .body("debrief.breakMinutes", is(15))
                .body("debrief.note", is("Shaken; talked it through with Sam"))
                .body("status", is("OPEN"));
        supervisor("sam")
                .body("{\"breakTaken\":false}")
                .post(debrief)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("already-debriefed"));

        CaseEvent e = awaitOfType(id, "redress.agent.debriefed", 1).get(0);
        AgentDebriefed d = EventCodec.payload(e, AgentDebriefed.class);
        assertEquals("ann", d.agentId());
        assertEquals("ann", d.debriefedBy());
        assertTrue(d.breakTaken());
        assertEquals(15, d.breakMinutes());
        assertTrue(d.withNote());
        assertFalse(e.data().toString().contains("Shaken"), "the note does not travel");
    }

    @Test
    void aSupervisorRecordsADeclinedBreakForTheAgent() {
        UUID id = caseHeldBy("abe", EscalationLevel.TEAM_LEAD);
        contact(agent("abe"), id, CustomerTone.ABUSIVE, "Customer insults the agent");
        String reportId = end(agent("abe"), id).extract().path("abuseReport.id");
        supervisor("sam")
                .body("{\"breakTaken\":false}")
                .post("/abuse-reports/" + reportId + "/debrief")
                .then()
                .statusCode(200)
                .body("debrief.debriefedBy", is("sam"))
                .body("debrief.breakTaken", is(false))
                .body("debrief.breakMinutes", nullValue())
                .body("debrief.note", nullValue());
        AgentDebriefed d =
                EventCodec.payload(awaitOfType(id, "redress.agent.debriefed", 1).get(0), AgentDebriefed.class);
        assertEquals("abe", d.agentId());
        assertEquals("sam", d.debriefedBy());
        assertFalse(d.breakTaken());
        assertNull(d.breakMinutes());
        assertFalse(d.withNote());
    }
}
