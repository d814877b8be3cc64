package redress.escalation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import redress.events.CaseEvent;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.EscalationAcknowledged;
import redress.events.payload.EscalationResolved;
import redress.testsupport.TestTokens;

/** The queue: escalations raised by rules are listed, acknowledged and resolved, each step an event. */
@QuarkusTest
class QueueTest {

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles));
    }

    /** An agent whose token says which level it works at (the {@code level} claim, docs/security.md). */
    static RequestSpecification agentAt(String subject, String level) {
        String token =
                TestTokens.keys().issue(subject, Set.of("agent"), Duration.ofMinutes(10), Map.of("level", level));
        return given().header("Authorization", "Bearer " + token);
    }

    static String raiseCritical(ConsumerTest.TestCase c) {
        ConsumerTest.KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.CRITICAL));
        return escalationId(c);
    }

    /** Waits until the case has one escalation, and returns its id. */
    static String escalationId(ConsumerTest.TestCase c) {
        return Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> as("sue", "supervisor")
                                .get("/cases/" + c.id + "/escalations")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<String>>path("items.id"),
                        l -> l.size() == 1)
                .get(0);
    }

    /** Waits until the case's raised, acknowledged and resolved events are on {@code case.escalations}. */
    static List<CaseEvent> threeEvents(ConsumerTest.TestCase c) {
        return Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .until(() -> ConsumerTest.escalationEvents(c.id), l -> l.size() == 3);
    }

    static ValidatableResponse resolve(RequestSpecification who, Object escalationId, String json) {
        return who.contentType(ContentType.JSON)
                .body(json)
                .post("/escalations/" + escalationId + "/resolve")
                .then();
    }

    @Test
    void anEscalationIsListedAcknowledgedAndResolved() {
        ConsumerTest.TestCase c = new ConsumerTest.TestCase();
        String id = raiseCritical(c);
        as("sue", "supervisor")
                .get("/cases/" + c.id + "/escalations")
                .then()
                .body("items[0].level", is("SUPERVISOR"))
                .body("items[0].status", is("OPEN"))
                .body("items[0].ruleId", is("critical-severity"))
                .body("items[0].ruleVersion", is(1))
                .body("items[0].action", is("HAND_OVER"))
                .body("items[0].briefing", containsString("Charged twice for one order"));
        as("olly", "operator")
                .get("/escalations?status=open&level=SUPERVISOR&limit=200")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id));

        as("sue", "supervisor")
                .post("/escalations/" + id + "/acknowledge")
                .then()
                .statusCode(200)
                .body("status", is("ACKNOWLEDGED"))
                .body("acknowledgedBy", is("sue"))
                .body("acknowledgedAt", notNullValue());
        as("sue", "supervisor")
                .post("/escalations/" + id + "/acknowledge")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("currentStatus", is("ACKNOWLEDGED"));
        as("ana", "agent").get("/escalations?status=OPEN&limit=200").then().body("items.id", not(hasItem(id)));

        resolve(agentAt("ana", "SUPERVISOR"), id, "{\"outcome\":\"Refunded and called back\"}")
                .statusCode(200)
                .body("status", is("RESOLVED"))
                .body("resolvedBy", is("ana"))
                .body("outcome", is("Refunded and called back"));
        resolve(agentAt("ana", "SUPERVISOR"), id, "{}").statusCode(409).body("currentStatus", is("RESOLVED"));
        as("ana", "agent")
                .get("/escalations?status=RESOLVED&level=supervisor&limit=200")
                .then()
                .body("items.id", hasItem(id));

        List<CaseEvent> events = threeEvents(c);
        assertEquals(
                List.of("redress.escalation.raised", "redress.escalation.acknowledged", "redress.escalation.resolved"),
                events.stream().map(CaseEvent::type).toList());
        EscalationAcknowledged ack = ConsumerTest.payload(events.get(1));
        assertEquals("sue", ack.acknowledgedBy());
        assertEquals("sue", events.get(1).actorid());
        assertEquals("agent", events.get(1).actortype().wire());
        EscalationResolved resolved = ConsumerTest.payload(events.get(2));
        assertEquals("Refunded and called back", resolved.outcome());
        assertEquals(c.customer, events.get(2).customerid());
    }

    @Test
    void anAgentActsOnlyOnEscalationsAtOrBelowItsLevel() throws Exception {
        ConsumerTest.TestCase c = new ConsumerTest.TestCase();
        String id = raiseCritical(c); // SUPERVISOR
        String path = "/escalations/" + id;
        for (RequestSpecification below : List.of(
                as("ana", "agent"), agentAt("ana", "AGENT"), agentAt("ana", "TEAM_LEAD"), agentAt("ana", "CEO"))) {
            below.post(path + "/acknowledge")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", is("urn:redress:problem:forbidden"))
                    .body("status", is(403))
                    .body("detail", containsString("SUPERVISOR"));
        }
        resolve(agentAt("tim", "TEAM_LEAD"), id, "{}").statusCode(403).contentType("application/problem+json");
        // Refused means unchanged: still OPEN, nothing emitted but the escalation itself.
        as("sue", "supervisor").get("/cases/" + c.id + "/escalations").then().body("items[0].status", is("OPEN"));
        agentAt("ana", "TEAM_LEAD")
                .post("/escalations/" + UUID.randomUUID() + "/acknowledge")
                .then()
                .statusCode(404);

        agentAt("max", "manager")
                .post(path + "/acknowledge")
                .then()
                .statusCode(200)
                .body("acknowledgedBy", is("max"));
        resolve(agentAt("sal", "SUPERVISOR"), id, "{}")
                .statusCode(200)
                .body("status", is("RESOLVED"))
                .body("resolvedBy", is("sal"));
        List<CaseEvent> events = threeEvents(c);
        assertEquals(
                List.of("redress.escalation.raised", "redress.escalation.acknowledged", "redress.escalation.resolved"),
                events.stream().map(CaseEvent::type).toList());
    }

    /**
     * Paged two at a time, the queue lists every escalation once, in its order: compared by id, so
     * that an escalation skipped or repeated at a page boundary fails (escalations raised in one
     * batch share their raised time, and only the id orders them).
     */
    @Test
    void theQueueIsKeysetPagedOldestFirst() {
        List<ConsumerTest.TestCase> cases = List.of(
                new ConsumerTest.TestCase(),
                new ConsumerTest.TestCase(),
                new ConsumerTest.TestCase(),
                new ConsumerTest.TestCase(),
                new ConsumerTest.TestCase());
        ConsumerTest.KAFKA.sendAll(
                Topics.CASE_EVENTS,
                cases.stream().map(c -> c.received(Severity.CRITICAL)).toList());
        Set<String> ours = new HashSet<>();
        for (ConsumerTest.TestCase c : cases) {
            ours.add(escalationId(c));
        }
        // The whole queue, 200 a page, before and after: escalations raised meanwhile (late events
        // of other tests) can only join it at the end.
        List<String> before = pages("/escalations?level=SUPERVISOR", 200);
        List<String> paged = pages("/escalations?level=SUPERVISOR", 2);
        List<String> after = pages("/escalations?level=SUPERVISOR", 200);
        assertTrue(paged.containsAll(ours), "ours " + ours + " in " + paged);
        assertEquals(paged.size(), new HashSet<>(paged).size(), "an escalation on two pages: " + paged);
        List<String> missing = before.stream().filter(id -> !paged.contains(id)).toList();
        assertEquals(List.of(), missing, "escalations on no page");
        assertEquals(after.subList(0, paged.size()), paged, "the pages in the queue's order");

        String next = as("sue", "supervisor")
                .get("/escalations?level=SUPERVISOR&limit=2")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .extract()
                .path("next");
        assertNotNull(next);
        as("sue", "supervisor")
                .queryParam("after", next)
                .get("/escalations?level=MANAGER&limit=2")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("after"));
        as("sue", "supervisor")
                .get("/escalations?level=AGENT")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("level"));
        as("sue", "supervisor")
                .get("/escalations?status=LOST")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("status"));
        as("sue", "supervisor").get("/escalations?limit=0").then().statusCode(400);
        as("sue", "supervisor")
                .post("/escalations/" + UUID.randomUUID() + "/acknowledge")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        resolve(as("sue", "supervisor"), UUID.randomUUID(), "{\"outcome\":\"x\"}")
                .statusCode(404);
    }

    /** Every page of the listing, {@code limit} at a time, following {@code next}: the ids, in the order listed. */
    private static List<String> pages(String path, int limit) {
        List<String> ids = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            RequestSpecification r = as("sue", "supervisor").queryParam("limit", limit);
            if (next != null) {
                r.queryParam("after", next);
            }
            JsonPath page = r.get(path).then().statusCode(200).extract().jsonPath();
            List<String> items = page.getList("items.id");
            assertTrue(items.size() <= limit);
            ids.addAll(items);
            next = page.getString("next");
        } while (next != null && ++pages < 1000);
        assertNull(next, "more than 1000 pages");
        return ids;
    }

    @Test
    void aResolvedEscalationNoLongerHoldsTheLevel() {
        ConsumerTest.TestCase c = new ConsumerTest.TestCase();
        ConsumerTest.KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.LOW));
        ConsumerTest.KAFKA.send(Topics.CASE_EVENTS, c.interaction(InteractionKind.ASSISTANCE_REQUESTED, null, "help"));
        String first = Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> as("sue", "supervisor")
                                .get("/cases/" + c.id + "/escalations")
                                .then()
                                .extract()
                                .<List<String>>path("items.id"),
                        l -> l.size() == 1)
                .get(0);
        resolve(as("sue", "supervisor"), first, "{}").statusCode(200);
        // The case's own level is still AGENT here (no intake in this test): one up is TEAM_LEAD again.
        ConsumerTest.KAFKA.send(Topics.CASE_EVENTS, c.interaction(InteractionKind.NOTE, null, "between"));
        ConsumerTest.KAFKA.send(
                Topics.CASE_EVENTS, c.interaction(InteractionKind.ASSISTANCE_REQUESTED, null, "help again"));
        Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> as("sue", "supervisor")
                        .get("/cases/" + c.id + "/escalations")
                        .then()
                        .body("items.level", contains("TEAM_LEAD", "TEAM_LEAD"))
                        .body("items.status", contains("RESOLVED", "OPEN")));
    }
}
