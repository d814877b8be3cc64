package redress.audit.insights;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.Direction;
import redress.events.InteractionKind;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.InteractionRecorded.Coaching;
import redress.events.payload.InteractionRecorded.Finding;
import redress.testsupport.KafkaTestClient;

/**
 * Issue 31: language coaching findings counted for coaching, per phrase, category and agent, week
 * by week. Texts of March 2018 (a window no other test of this module uses); each expected count is
 * worked out in the comments.
 */
@QuarkusTest
@TestSecurity(
        user = "test-supervisor",
        roles = {"supervisor"})
class CoachingInsightsTest {

    static final KafkaTestClient KAFKA = KafkaTestClient.forTests();
    static final String WINDOW = "from=2018-03-01T00:00:00Z&to=2018-04-01T00:00:00Z";

    static final Finding YOUR_FAULT =
            new Finding("blame-customer", "BLAME", "Your fault", "Say what you will do", 0, 10);
    static final Finding CANT = new Finding("negative-cant-wont", "NEGATIVE", "can't", "what I can do is", 12, 17);

    static void text(String agent, String time, List<Finding> findings, boolean angryBefore) {
        UUID caseId = UUID.randomUUID();
        InteractionRecorded p = new InteractionRecorded(
                caseId,
                "CMP-" + caseId,
                UUID.randomUUID(),
                InteractionKind.APOLOGY,
                "text",
                null,
                null,
                null,
                null,
                null,
                Instant.parse(time),
                null,
                null,
                null,
                null,
                new Coaching(1, "en", findings, angryBefore ? List.of("Acknowledge the feeling") : List.of()));
        CaseEvent e = CaseEvent.create(
                "/intake-service", new Actor(ActorType.AGENT, agent), "C-1", p, null, null, Instant.parse(time));
        KAFKA.send(e.eventType().orElseThrow().topic(), e);
    }

    static JsonPath await(String by, long findings) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> given().get("/insights/coaching?" + WINDOW + "&by=" + by)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        j -> j.getLong("findings") >= findings);
    }

    @Test
    void findingsAreCountedPerPhraseCategoryAndAgentWeekByWeek() {
        String zoe = "zoe-" + UUID.randomUUID().toString().substring(0, 6);
        String abe = "abe-" + UUID.randomUUID().toString().substring(0, 6);
        // Week of Monday 5 March: zoe blames once and says can't once (one text), abe writes a clean text.
        text(zoe, "2018-03-06T10:00:00Z", List.of(YOUR_FAULT, CANT), false);
        text(abe, "2018-03-07T10:00:00Z", List.of(), true);
        // Week of Monday 12 March: zoe blames again; abe says can't.
        text(zoe, "2018-03-12T09:00:00Z", List.of(YOUR_FAULT), false);
        text(abe, "2018-03-18T23:59:59Z", List.of(CANT), false);
        // A text outside the window and an interaction without coaching (an inbound contact) are not counted.
        text(zoe, "2018-04-01T00:00:00Z", List.of(YOUR_FAULT), false);
        UUID other = UUID.randomUUID();
        InteractionRecorded inbound = new InteractionRecorded(
                other,
                "CMP-" + other,
                UUID.randomUUID(),
                InteractionKind.CUSTOMER_CONTACT,
                "It is your fault",
                Direction.INBOUND,
                null,
                null,
                null,
                null,
                Instant.parse("2018-03-08T10:00:00Z"),
                null,
                null,
                null);
        CaseEvent in = CaseEvent.create(
                "/intake-service",
                new Actor(ActorType.AGENT, zoe),
                "C-1",
                inbound,
                null,
                null,
                Instant.parse("2018-03-08T10:00:00Z"));
        KAFKA.send(in.eventType().orElseThrow().topic(), in);

        JsonPath phrases = await("phrase", 4);
        assertEquals(4, phrases.getLong("checkedTexts"));
        assertEquals(3, phrases.getLong("textsWithFindings"));
        assertEquals(1, phrases.getLong("deEscalations"));
        assertEquals(List.of("can't", "your fault"), phrases.getList("rows.key"), "as many of each: by name");
        assertEquals("Say what you will do", phrases.getString("rows[1].suggestion"));
        assertEquals("BLAME", phrases.getString("rows[1].category"));
        assertEquals(
                List.of(Map.of("weekOf", "2018-03-05", "findings", 1), Map.of("weekOf", "2018-03-12", "findings", 1)),
                phrases.getList("rows[1].weeks"));
        assertNull(phrases.get("rows[1].phrasesToPractise"));

        JsonPath categories = await("category", 4);
        assertEquals(List.of("BLAME", "NEGATIVE"), categories.getList("rows.key"));
        assertEquals(List.of("your fault"), categories.getList("rows[0].phrasesToPractise.phrase"));

        JsonPath agents = await("agent", 4);
        List<String> keys = agents.getList("rows.key");
        List<String> ours =
                keys.stream().filter(k -> k.equals(zoe) || k.equals(abe)).toList();
        assertEquals(List.of(abe, zoe), ours, "by name, not by how many findings");
        Map<String, Object> zoeRow = agents.getMap("rows.find { it.key == '" + zoe + "' }");
        assertEquals(2, zoeRow.get("checkedTexts"));
        assertEquals(0.0f, zoeRow.get("cleanShare"));
        assertEquals(3, zoeRow.get("findings"));
        assertEquals(
                List.of("your fault", "can't"),
                Stream.of(agents.getList("rows.find { it.key == '" + zoe + "' }.phrasesToPractise.phrase"))
                        .flatMap(List::stream)
                        .toList());
        Map<String, Object> abeRow = agents.getMap("rows.find { it.key == '" + abe + "' }");
        assertEquals(2, abeRow.get("checkedTexts"));
        assertEquals(0.5f, abeRow.get("cleanShare"));
    }

    @Test
    @TestSecurity(
            user = "test-agent",
            roles = {"agent"})
    void anAgentMayNotReadThem() {
        given().get("/insights/coaching").then().statusCode(403);
    }

    @Test
    void aBadGroupingOrWindowIsAProblem() {
        given().get("/insights/coaching?by=blame")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("by"));
        given().get("/insights/coaching?from=2018-06-01T00:00:00Z")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
