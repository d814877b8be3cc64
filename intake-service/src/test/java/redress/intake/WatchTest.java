package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseAssigned;
import redress.events.payload.EscalationRaised;
import redress.events.payload.EscalationResolved;
import redress.testsupport.Rows;
import redress.testsupport.TestTokens;

/**
 * Issue 31: a WATCH escalation leaves the case with its owner and records a watch the case view
 * shows; a watcher takes the case over with one call ({@code POST /complaints/{id}/take-over});
 * a hand-over, a close or the escalation's resolution ends the watch; a refused take-over changes
 * nothing.
 */
@QuarkusTest
class WatchTest {

    static final Actor ESCALATION_SERVICE = new Actor(ActorType.SYSTEM, "escalation-service");

    @Inject
    DataSource dataSource;

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles))
                .contentType(ContentType.JSON);
    }

    /** An agent whose token names the level it works at (the {@code level} claim, docs/security.md). */
    static RequestSpecification agentAt(String subject, String level) {
        String token =
                TestTokens.keys().issue(subject, Set.of("agent"), Duration.ofMinutes(10), Map.of("level", level));
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    static RequestSpecification supervisor() {
        return as("sue", "supervisor");
    }

    /** A new case, assigned at AGENT to {@code agent}. */
    static UUID caseHeldBy(String agent) {
        String id = as("test-crm", "complaint-submitter")
                .body(Api.complaintJson(Api.newCustomer()))
                .post("/complaints")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        supervisor()
                .body("{\"assignee\":\"" + agent + "\",\"level\":\"AGENT\",\"briefing\":\"yours\"}")
                .post("/complaints/" + id + "/assignment")
                .then()
                .statusCode(200);
        return UUID.fromString(id);
    }

    static String reference(UUID caseId) {
        return supervisor().get("/complaints/" + caseId).then().extract().path("reference");
    }

    static CaseEvent raised(UUID caseId, EscalationLevel level, UUID escalationId, EscalationAction action) {
        return CaseEvent.create(
                "/escalation-service",
                ESCALATION_SERVICE,
                "C-x",
                EscalationRaised.builder()
                        .escalationId(escalationId)
                        .caseId(caseId)
                        .reference(reference(caseId))
                        .level(level)
                        .previousLevel(EscalationLevel.AGENT)
                        .severity(Severity.HIGH)
                        .reason("The customer is getting angrier")
                        .ruleId("tone-rising")
                        .ruleVersion(2)
                        .briefing("Customer went from UPSET to ANGRY")
                        .action(action)
                        .build(),
                null,
                null);
    }

    /** Sends the records to case.escalations and waits until intake has applied each. */
    void deliver(CaseEvent... events) {
        for (CaseEvent e : events) {
            Api.KAFKA.send(Topics.CASE_ESCALATIONS, e);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (CaseEvent e : events) {
                        if (Rows.count(dataSource, "SELECT count(*) FROM processed_event WHERE event_id = ?", e.id())
                                != 1) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** The watch's row: ended_at (as text, or null), ended_by, end_reason. */
    List<String> watchRow(UUID escalationId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT ended_at::text, ended_by, end_reason FROM case_watch WHERE escalation_id = ?")) {
            s.setObject(1, escalationId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> row = new ArrayList<>();
                row.add(rs.getString(1));
                row.add(rs.getString(2));
                row.add(rs.getString(3));
                return row;
            }
        }
    }

    ValidatableResponse takeOver(RequestSpecification who, UUID caseId, String body) {
        return who.body(body).post("/complaints/" + caseId + "/take-over").then();
    }

    @Test
    void aWatchKeepsTheCaseWithItsOwnerAndTheCaseViewListsIt() throws Exception {
        UUID id = caseHeldBy("ana");
        UUID watch = UUID.randomUUID();
        CaseEvent raised = raised(id, EscalationLevel.TEAM_LEAD, watch, EscalationAction.WATCH);
        deliver(raised, raised, raised);
        supervisor()
                .get("/complaints/" + id)
                .then()
                .statusCode(200)
                .body("level", is("AGENT"))
                .body("assignee", is("ana"))
                .body("watches", hasSize(1))
                .body("watches[0].escalationId", is(watch.toString()))
                .body("watches[0].level", is("TEAM_LEAD"))
                .body("watches[0].reason", is("The customer is getting angrier"))
                .body("watches[0].ruleId", is("tone-rising"))
                .body("watches[0].briefing", is("Customer went from UPSET to ANGRY"))
                .body("watches[0].since", notNullValue())
                .body("watches[0].takeOver", is("/complaints/" + id + "/take-over"));
        assertEquals(
                1,
                Rows.count(dataSource, "SELECT count(*) FROM case_watch WHERE complaint_id = ?", id),
                "delivered three times, recorded once");
        assertEquals(
                List.of("redress.complaint.received", "redress.case.assigned"),
                Api.types(Api.awaitEvents(id, 2)),
                "no case.assigned: the case was not moved");
        // Lists do not carry watches.
        supervisor()
                .queryParam("assignee", "ana")
                .get("/complaints")
                .then()
                .statusCode(200)
                .body("items.find { it.id == '" + id + "' }.watches", nullValue());
    }

    @Test
    void aWatcherTakesTheCaseOverWithOneCall() throws Exception {
        UUID id = caseHeldBy("ana");
        UUID watch = UUID.randomUUID();
        deliver(raised(id, EscalationLevel.TEAM_LEAD, watch, EscalationAction.WATCH));

        takeOver(agentAt("tl-1", "TEAM_LEAD"), id, "{}")
                .statusCode(200)
                .body("level", is("TEAM_LEAD"))
                .body("assignee", is("tl-1"))
                .body("watches", empty());
        supervisor()
                .get("/complaints/" + id)
                .then()
                .body("assignee", is("tl-1"))
                .body("watches", empty());

        List<CaseEvent> events = Api.awaitEvents(id, 3);
        assertEquals(
                List.of("redress.complaint.received", "redress.case.assigned", "redress.case.assigned"),
                Api.types(events));
        CaseEvent e = events.get(2);
        CaseAssigned taken = EventCodec.payload(e, CaseAssigned.class);
        assertEquals("tl-1", taken.assignee());
        assertEquals(EscalationLevel.TEAM_LEAD, taken.level());
        assertEquals("ana", taken.previousAssignee());
        assertEquals(EscalationLevel.AGENT, taken.previousLevel());
        assertEquals(watch, taken.escalationId(), "names the watch's escalation");
        assertTrue(
                taken.briefing()
                        .startsWith("Taken over from the watch of escalation " + watch + " by tl-1 (rule "
                                + "tone-rising: The customer is getting angrier)\n"),
                taken.briefing());
        assertTrue(taken.briefing().endsWith("Customer went from UPSET to ANGRY"), taken.briefing());
        assertEquals(ActorType.AGENT, e.actortype());
        assertEquals("tl-1", e.actorid());

        List<String> row = watchRow(watch);
        assertTrue(row.get(0) != null, "ended");
        assertEquals("tl-1", row.get(1));
        assertEquals("taken over by tl-1 at TEAM_LEAD", row.get(2));

        // Taken over once: a second call finds no open watch and changes nothing.
        DbSnapshot.refusedWritingNothing(
                        dataSource, () -> takeOver(supervisor(), id, "{}"), 409, "a second take-over wrote something")
                .body("type", is("urn:redress:problem:no-open-watch"));
        // escalation-service's resolution of the watch, arriving later, changes nothing either.
        deliver(CaseEvent.create(
                "/escalation-service",
                ESCALATION_SERVICE,
                "C-x",
                new EscalationResolved(
                        watch, id, reference(id), EscalationLevel.TEAM_LEAD, "taken over by tl-1 at TEAM_LEAD"),
                null,
                null));
        assertEquals("taken over by tl-1 at TEAM_LEAD", watchRow(watch).get(2));
    }

    @Test
    void aTakeOverIsRefusedWithAProblemAndChangesNothing() throws Exception {
        UUID id = caseHeldBy("ana");
        // No watch yet.
        DbSnapshot.refusedWritingNothing(dataSource, () -> takeOver(supervisor(), id, "{}"), 409, "no watch")
                .body("type", is("urn:redress:problem:no-open-watch"));
        UUID watch = UUID.randomUUID();
        deliver(raised(id, EscalationLevel.SUPERVISOR, watch, EscalationAction.WATCH));

        DbSnapshot.refusedWritingNothing(
                        dataSource, () -> takeOver(supervisor(), UUID.randomUUID(), "{}"), 404, "an unknown case")
                .body("type", is("urn:redress:problem:not-found"));
        DbSnapshot.refusedWritingNothing(
                        dataSource,
                        () -> takeOver(supervisor(), id, "{\"escalationId\":\"" + UUID.randomUUID() + "\"}"),
                        409,
                        "another escalation")
                .body("type", is("urn:redress:problem:no-open-watch"));
        DbSnapshot.refusedWritingNothing(
                        dataSource, () -> takeOver(agentAt("tl-2", "TEAM_LEAD"), id, "{}"), 403, "below the watch")
                .body("type", is("urn:redress:problem:forbidden"))
                .body("detail", startsWith("the watch of escalation " + watch + " is at level SUPERVISOR"));
        DbSnapshot.refusedWritingNothing(
                dataSource, () -> takeOver(as("ana", "agent"), id, "{}"), 403, "an agent without a level");
        DbSnapshot.refusedWritingNothing(
                dataSource, () -> takeOver(as("test-crm", "complaint-submitter"), id, "{}"), 403, "a submitter");
        DbSnapshot.refusedWritingNothing(dataSource, () -> takeOver(as("aud", "auditor"), id, "{}"), 403, "an auditor");
        DbSnapshot.refusedWritingNothing(dataSource, () -> takeOver(supervisor(), null, "{}"), 400, "a bad id");
        DbSnapshot.refusedWritingNothing(
                dataSource,
                () -> takeOver(supervisor(), id, "{\"escalationId\":\"nope\"}"),
                400,
                "a bad escalation id");
        supervisor()
                .get("/complaints/" + id)
                .then()
                .body("assignee", is("ana"))
                .body("level", is("AGENT"))
                .body("watches", hasSize(1));

        // An agent at MANAGER level may take over a SUPERVISOR watch, named by its escalation.
        agentAt("mo", "MANAGER")
                .body("{\"escalationId\":\"" + watch + "\"}")
                .post("/complaints/" + id + "/take-over")
                .then()
                .statusCode(200)
                .body("level", is("SUPERVISOR"))
                .body("assignee", is("mo"));
    }

    @Test
    void aHandOverACloseOrTheEscalationsResolutionEndsTheWatch() throws Exception {
        UUID handed = caseHeldBy("ana");
        UUID watch = UUID.randomUUID();
        UUID handOver = UUID.randomUUID();
        deliver(raised(handed, EscalationLevel.TEAM_LEAD, watch, EscalationAction.WATCH));
        deliver(raised(handed, EscalationLevel.SUPERVISOR, handOver, EscalationAction.HAND_OVER));
        supervisor()
                .get("/complaints/" + handed)
                .then()
                .body("level", is("SUPERVISOR"))
                .body("assignee", nullValue())
                .body("watches", empty());
        assertEquals(
                "handed over to SUPERVISOR by escalation " + handOver,
                watchRow(watch).get(2));

        // An escalation.raised without an action (written before actions existed) hands over.
        UUID old = caseHeldBy("ana");
        deliver(raised(old, EscalationLevel.TEAM_LEAD, UUID.randomUUID(), null));
        supervisor()
                .get("/complaints/" + old)
                .then()
                .body("level", is("TEAM_LEAD"))
                .body("assignee", nullValue());

        UUID closed = caseHeldBy("ana");
        UUID closedWatch = UUID.randomUUID();
        deliver(raised(closed, EscalationLevel.TEAM_LEAD, closedWatch, EscalationAction.WATCH));
        as("ana", "agent")
                .body(Api.resolution("Refunded"))
                .post("/complaints/" + closed + "/resolution")
                .then()
                .statusCode(200);
        assertNull(watchRow(closedWatch).get(0), "a resolution leaves the watch");
        as("ana", "agent")
                .body("{\"status\":\"CLOSED\",\"reason\":\"confirmed\"}")
                .post("/complaints/" + closed + "/status")
                .then()
                .statusCode(200)
                .body("status", is("CLOSED"));
        assertEquals(
                List.of("ana", "the case was closed"), watchRow(closedWatch).subList(1, 3));
        assertTrue(watchRow(closedWatch).get(0) != null);

        UUID resolved = caseHeldBy("ana");
        UUID resolvedWatch = UUID.randomUUID();
        deliver(raised(resolved, EscalationLevel.TEAM_LEAD, resolvedWatch, EscalationAction.WATCH));
        deliver(CaseEvent.create(
                "/escalation-service",
                new Actor(ActorType.AGENT, "tl-1"),
                "C-x",
                new EscalationResolved(
                        resolvedWatch, resolved, reference(resolved), EscalationLevel.TEAM_LEAD, "agent coping"),
                null,
                null));
        assertEquals(
                List.of("tl-1", "escalation resolved: agent coping"),
                watchRow(resolvedWatch).subList(1, 3));
        supervisor()
                .get("/complaints/" + resolved)
                .then()
                .body("assignee", is("ana"))
                .body("watches", empty())
                .body("id", notNullValue());
    }
}
