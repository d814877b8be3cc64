package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;

/**
 * The log records every well-formed envelope, whatever its strings hold and whatever the case
 * projection makes of it. The envelopes are produced by a plain Kafka client, as any producer could.
 */
@QuarkusTest
class EveryEnvelopeTest {

    @Test
    void nulCharactersInDataSubjectAndActorAreLogged() throws Exception {
        UUID caseId = UUID.randomUUID();
        String customer = "C-nul-" + caseId;
        // A NUL in the data: valid JSON, refused by PostgreSQL's jsonb and text.
        CaseEvent text = Events.interaction(caseId, customer, "before\u0000after");
        // A NUL in the subject and in the actor id: the query columns cannot hold it either.
        ObjectNode subject = envelope(Events.interaction(caseId, customer, "nul subject"));
        subject.put("subject", caseId + "\u0000x");
        ObjectNode actor = envelope(Events.interaction(caseId, customer, "nul actor"));
        actor.put("actorid", "agent\u00007");
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), EventCodec.encode(text));
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), subject.toString());
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), actor.toString());

        JsonPath entries = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().queryParam("customerId", customer).get("/audit/entries").then().statusCode(200)
                        .extract().jsonPath(), p -> p.getList("items").size() >= 3);
        assertEquals(List.of("before\u0000after", "nul subject", "nul actor"), entries.getList("items.data.text"));
        assertEquals(caseId + "\u0000x", entries.getString("items[1].caseId"));
        assertEquals("agent:agent\u00007", entries.getString("items[2].actor"));
        JsonPath history = Events.awaitHistory(caseId, 2);
        assertTrue(history.getString("history[0].description").endsWith("before\u0000after"),
                history.getString("history[0].description"));
        given().get("/audit/verify").then().statusCode(200).body("ok", is(true)).body("firstProblem", nullValue());
    }

    @Test
    void aFailingProjectionDoesNotStopTheEntry() {
        double failuresBefore = metric("redress_audit_projection_failures_total");
        UUID caseId = UUID.randomUUID();
        // A producer's typo: a receivedAt beyond PostgreSQL's timestamptz range (year 294276). The
        // envelope is well-formed; only the case projection cannot store it.
        ObjectNode received = envelope(Events.received(caseId, "C-far", "billing", null));
        ((ObjectNode) received.get("data")).put("receivedAt", "+300000-01-01T00:00:00Z");
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), received.toString());
        Events.publish(Events.interaction(caseId, "C-far", "after the far future"));

        JsonPath history = Events.awaitHistory(caseId, 2);
        assertEquals(List.of("redress.complaint.received", "redress.interaction.recorded"), Events.types(history));
        assertEquals("+300000-01-01T00:00:00Z", history.getString("history[0].data.receivedAt"));
        given().get("/audit/verify").then().statusCode(200).body("ok", is(true));
        // The failure is not silent: it is counted (and logged).
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("redress_audit_projection_failures_total") > failuresBefore);
    }

    @Test
    void anEventTimeBeyondTheDatabasesRangeIsLogged() {
        UUID caseId = UUID.randomUUID();
        // Java reads this RFC 3339-like time; timestamptz ends in 294276. The canonical bytes keep it.
        ObjectNode far = envelope(Events.interaction(caseId, "C-time", "from the far future"));
        far.put("time", "+300000-01-01T00:00:00Z");
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), far.toString());
        JsonPath history = Events.awaitHistory(caseId, 1);
        assertEquals("+300000-01-01T00:00:00Z", history.getString("history[0].eventTime"));
        given().get("/audit/verify").then().statusCode(200).body("ok", is(true));
    }

    static ObjectNode envelope(CaseEvent e) {
        try {
            return (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(e));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The sum of a Prometheus metric's samples, 0 when it is absent. */
    static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
