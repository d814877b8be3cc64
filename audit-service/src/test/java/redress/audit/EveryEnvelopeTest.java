package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;

/**
 * The log records every well-formed envelope, whatever its strings hold and whatever the case
 * projection makes of it. The envelopes are produced by a plain Kafka client, as any producer could.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
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

        JsonPath entries = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> given().queryParam("customerId", customer)
                                .get("/audit/entries")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        p -> p.getList("items").size() >= 3);
        assertEquals(List.of("before\u0000after", "nul subject", "nul actor"), entries.getList("items.data.text"));
        assertEquals(caseId + "\u0000x", entries.getString("items[1].caseId"));
        assertEquals("agent:agent\u00007", entries.getString("items[2].actor"));
        JsonPath history = Events.awaitHistory(caseId, 2);
        assertTrue(
                history.getString("history[0].description").endsWith("before\u0000after"),
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
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
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

    /**
     * RFC 8785 writes numbers as doubles: 1e400 has none (Jackson made it the string "Infinity"),
     * 1e-400 becomes 0, a 20-digit account number loses its last digits. Such an envelope is logged
     * as the exact text received; one whose numbers a double holds stays a JSON object.
     */
    @Test
    void numbersADoubleCannotHoldAreLoggedAsTheTextReceived() throws Exception {
        UUID caseId = UUID.randomUUID();
        String customer = "C-num-" + caseId;
        String huge = envelope(Events.interaction(caseId, customer, "huge"))
                .toString()
                .replace(
                        "\"data\":{",
                        "\"data\":{\"amount\":1e400,\"tiny\":1E-400,\"account\":12345678901234567890, \"rate\":0.1,");
        String plain = envelope(Events.interaction(caseId, customer, "plain"))
                .toString()
                .replace("\"data\":{", "\"data\":{\"rate\":0.1,\"big\":1.5e300,");
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), huge);
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), plain);

        JsonPath history = Events.awaitHistory(caseId, 2);
        assertEquals(List.of("huge", "plain"), history.getList("history.data.text"));
        String from = history.getString("history[0].recordedAt");
        String export = given().queryParam("from", from)
                .get("/audit/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<JsonNode> ours = new ArrayList<>();
        for (String line : export.split("\n")) {
            JsonNode l = EventCodec.mapper().readTree(line);
            if ("entry".equals(l.path("kind").asText())) {
                JsonNode entry =
                        EventCodec.mapper().readTree(l.path("canonical").asText());
                if (caseId.toString().equals(entry.path("caseId").asText())
                        && !Events.READ.equals(entry.path("type").asText())) {
                    ours.add(entry);
                }
            }
        }
        assertEquals(2, ours.size(), export);
        assertTrue(ours.get(0).path("envelope").isTextual(), ours.get(0).toString());
        assertEquals(huge, ours.get(0).path("envelope").textValue());
        assertTrue(ours.get(1).path("envelope").isObject(), ours.get(1).toString());
        assertEquals(0.1, ours.get(1).path("envelope").path("data").path("rate").doubleValue());
        assertEquals(
                1.5e300, ours.get(1).path("envelope").path("data").path("big").doubleValue());
        // The readable view parses the kept text with exact numbers.
        String body = given().get("/audit/cases/" + caseId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(body.contains("12345678901234567890"), body);
        assertFalse(body.contains("Infinity"), body);
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
