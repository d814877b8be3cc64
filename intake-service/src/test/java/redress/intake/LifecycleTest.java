package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CaseReopened;
import redress.events.payload.CaseResolved;
import redress.events.payload.CaseStatusChanged;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseKept;
import redress.events.payload.PromiseMade;

/** A case from intake to closure and back, with exactly one event per transition, in order. */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class LifecycleTest {

    static String interaction(String kind, String text) {
        return "{\"kind\":\"" + kind + "\",\"text\":\"" + text + "\"}";
    }

    @Test
    void aCaseThroughItsWholeLife() {
        UUID id = Api.newCase(Api.newCustomer());
        String c = "/complaints/" + id;

        // The first agent interaction starts work; the first acknowledgement is its own event.
        Api.post(c + "/interactions", interaction("ACKNOWLEDGEMENT", "We have your complaint and are on it"))
                .statusCode(201)
                .body("kind", is("ACKNOWLEDGEMENT"))
                .body("actorType", is("agent"));
        given().get(c).then().body("status", is("IN_PROGRESS")).body("acknowledgedAt", notNullValue());
        Api.post(c + "/interactions", interaction("ACKNOWLEDGEMENT", "Reminder: we are on it"))
                .statusCode(201);

        Api.post(c + "/interactions", """
                {"kind":"CUSTOMER_CONTACT","text":"Customer called, upset about the second debit",
                 "direction":"INBOUND","channel":"PHONE","tone":"UPSET"}""")
                .statusCode(201)
                .body("tone", is("UPSET"))
                .body("channel", is("PHONE"));
        Api.post(c + "/interactions", interaction("APOLOGY", "Apologised for the double charge"))
                .statusCode(201);

        String due = Instant.now()
                .plus(2, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        String promiseId = Api.post(
                        c + "/interactions",
                        "{\"kind\":\"EXPECTATION_SET\",\"text\":\"Refund confirmed by Friday\",\"dueAt\":\"" + due
                                + "\"}")
                .statusCode(201)
                .body("promiseId", notNullValue())
                .extract()
                .path("promiseId");
        given().get(c + "/promises")
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].status", is("OPEN"))
                .body("[0].dueAt", is(due));

        Api.post(c + "/status", "{\"status\":\"AWAITING_CUSTOMER\",\"reason\":\"asked for statement\"}")
                .statusCode(200)
                .body("status", is("AWAITING_CUSTOMER"));
        Api.post(c + "/status", "{\"status\":\"IN_PROGRESS\"}").statusCode(200).body("status", is("IN_PROGRESS"));

        Api.post(c + "/assignment", """
                {"assignee":"sam","level":"TEAM_LEAD","briefing":"Double debit; refund promised by Friday; customer upset"}""")
                .statusCode(200)
                .body("assignee", is("sam"))
                .body("level", is("TEAM_LEAD"));

        Api.post(c + "/promises/" + promiseId + "/kept", "").statusCode(200).body("status", is("KEPT"));
        Api.post(c + "/promises/" + promiseId + "/kept", "").statusCode(409);

        Api.post(c + "/resolution", Api.resolution("Refunded the second debit"))
                .statusCode(200)
                .body("status", is("RESOLVED"))
                .body("resolution", is("Refunded the second debit"));
        Api.post(c + "/status", "{\"status\":\"CLOSED\",\"reason\":\"confirmed by customer\"}")
                .statusCode(200)
                .body("status", is("CLOSED"));
        Api.post(c + "/interactions", interaction("NOTE", "late note"))
                .statusCode(409)
                .body("currentStatus", is("CLOSED"));

        Api.post(c + "/status", "{\"status\":\"REOPENED\"}").statusCode(400).body("errors.field", hasItem("reason"));
        Api.post(c + "/status", "{\"status\":\"REOPENED\",\"reason\":\"refund bounced\"}")
                .statusCode(200)
                .body("status", is("REOPENED"))
                .body("reopenCount", is(1));
        Api.post(c + "/interactions", interaction("NOTE", "Looking into the bounced refund"))
                .statusCode(201);
        given().get(c).then().body("status", is("IN_PROGRESS"));

        given().get(c + "/interactions")
                .then()
                .statusCode(200)
                .body(
                        "kind",
                        contains(
                                "ACKNOWLEDGEMENT",
                                "ACKNOWLEDGEMENT",
                                "CUSTOMER_CONTACT",
                                "APOLOGY",
                                "EXPECTATION_SET",
                                "NOTE"))
                .body("[4].dueAt", is(due));

        List<String> expected = List.of(
                "redress.complaint.received",
                "redress.interaction.recorded",
                "redress.case.acknowledged",
                "redress.case.status-changed",
                "redress.interaction.recorded",
                "redress.interaction.recorded",
                "redress.interaction.recorded",
                "redress.interaction.recorded",
                "redress.promise.made",
                "redress.case.status-changed",
                "redress.case.status-changed",
                "redress.case.assigned",
                "redress.promise.kept",
                "redress.case.resolved",
                "redress.case.closed",
                "redress.case.reopened",
                "redress.interaction.recorded",
                "redress.case.status-changed");
        List<CaseEvent> events = Api.awaitEvents(id, expected.size());
        assertEquals(expected, Api.types(events), "one event per change, in order, nothing else");

        CaseEvent recorded = events.get(1);
        CaseEvent acknowledged = events.get(2);
        assertEquals(recorded.id(), acknowledged.causationid());
        assertEquals(recorded.correlationid(), acknowledged.correlationid());
        assertEquals(ActorType.AGENT, recorded.actortype());
        assertEquals("test-crm", recorded.actorid(), "the actor is the token's subject");
        assertEquals(
                EventCodec.payload(recorded, InteractionRecorded.class).interactionId(),
                EventCodec.payload(acknowledged, CaseAcknowledged.class).interactionId());
        CaseStatusChanged started = EventCodec.payload(events.get(3), CaseStatusChanged.class);
        assertEquals("OPEN", started.from().name());
        assertEquals("IN_PROGRESS", started.to().name());

        PromiseMade made = EventCodec.payload(events.get(8), PromiseMade.class);
        assertEquals(promiseId, made.promiseId().toString());
        assertEquals(Instant.parse(due), made.dueAt());
        assertEquals(
                promiseId,
                EventCodec.payload(events.get(12), PromiseKept.class)
                        .promiseId()
                        .toString());

        CaseAssigned assigned = EventCodec.payload(events.get(11), CaseAssigned.class);
        assertEquals("sam", assigned.assignee());
        assertEquals("HIGH", assigned.severity().name());
        assertEquals("Double debit; refund promised by Friday; customer upset", assigned.briefing());

        assertEquals(
                "Refunded the second debit",
                EventCodec.payload(events.get(13), CaseResolved.class).summary());
        assertEquals(
                "refund bounced",
                EventCodec.payload(events.get(15), CaseReopened.class).reason());
        events.forEach(e -> assertEquals(id.toString(), e.subject()));
    }

    @Test
    void resolvingFromEachAllowedState() {
        for (String setup : List.of("", "IN_PROGRESS", "AWAITING_CUSTOMER")) {
            UUID id = Api.newCase(Api.newCustomer());
            if (!setup.isEmpty()) {
                Api.post("/complaints/" + id + "/status", "{\"status\":\"IN_PROGRESS\"}")
                        .statusCode(200);
            }
            if (setup.equals("AWAITING_CUSTOMER")) {
                Api.post("/complaints/" + id + "/status", "{\"status\":\"AWAITING_CUSTOMER\"}")
                        .statusCode(200);
            }
            Api.post("/complaints/" + id + "/resolution", Api.resolution("done"))
                    .statusCode(200);
            Api.post("/complaints/" + id + "/resolution", Api.resolution("again"))
                    .statusCode(409)
                    .body("currentStatus", is("RESOLVED"));
        }
    }

    @Test
    void aResolvedCaseCanBeReopenedDirectly() {
        UUID id = Api.newCase(Api.newCustomer());
        Api.post("/complaints/" + id + "/resolution", Api.resolution("done")).statusCode(200);
        Api.post("/complaints/" + id + "/status", "{\"status\":\"REOPENED\",\"reason\":\"not fixed\"}")
                .statusCode(200);
        Api.post("/complaints/" + id + "/status", "{\"status\":\"IN_PROGRESS\"}")
                .statusCode(200);
        Api.post("/complaints/" + id + "/status", "{\"status\":\"REOPENED\",\"reason\":\"x\"}")
                .statusCode(409)
                .body("currentStatus", is("IN_PROGRESS"));
    }
}
