package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.CoachingLexiconChanged;
import redress.events.payload.InteractionRecorded;
import redress.testsupport.KafkaTestClient;

/**
 * Issue 31: language coaching on outbound text. Seed 000: "Use Positive Language ... Avoid negative
 * or accusatory language that may exacerbate the conflict"; seed 003: "never indulge in the blame
 * game, even if the customer starts it". Findings warn and suggest; they never block.
 */
@QuarkusTest
@TestSecurity(
        user = "test-agent",
        roles = {"complaint-submitter", "agent", "supervisor", "rules-admin"})
class CoachingTest {

    static final String BLAMING = "As I already told you, the late fee is your fault: you should have paid on time.";

    @Inject
    DataSource dataSource;

    static ValidatableResponse interaction(UUID c, String json) {
        return Api.post("/complaints/" + c + "/interactions", json);
    }

    static String contact(String direction, String tone, String text) {
        return """
                {"kind":"CUSTOMER_CONTACT","direction":"%s","channel":"EMAIL","tone":"%s","text":"%s"}""".formatted(direction, tone, text);
    }

    static String said(String kind, String text) {
        return "{\"kind\":\"" + kind + "\",\"text\":\"" + text + "\"}";
    }

    static InteractionRecorded recorded(UUID caseId, String interactionId) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> Api.KAFKA.caseRecords(Topics.CASE_EVENTS, caseId).stream()
                                .map(KafkaTestClient.Received::event)
                                .filter(e -> e.type().equals("redress.interaction.recorded"))
                                .map(e -> EventCodec.payload(e, InteractionRecorded.class))
                                .filter(p -> p.interactionId().toString().equals(interactionId))
                                .toList(),
                        l -> !l.isEmpty())
                .get(0);
    }

    @Test
    void aBlamingReplyIsRecordedWithItsFindingsInTheAnswerTheListAndTheEvent() {
        UUID c = Api.newCase(Api.newCustomer());
        String id = interaction(c, contact("OUTBOUND", "CALM", BLAMING))
                .statusCode(201)
                .body("coaching.lexiconVersion", notNullValue())
                .body("coaching.language", is("en"))
                .body("coaching.findings.phrase", contains("As I already told you", "your fault", "you should have"))
                .body("coaching.findings.category", contains("ACCUSATION", "BLAME", "BLAME"))
                .body("coaching.findings[1].suggestion", notNullValue())
                .body("coaching.findings[1].start", is(BLAMING.indexOf("your fault")))
                .body("coaching.findings[1].end", is(BLAMING.indexOf("your fault") + "your fault".length()))
                .body("coaching.deEscalationSuggestions", empty())
                .body("text", is(BLAMING))
                .extract()
                .path("id");

        given().get("/complaints/" + c + "/interactions")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + id + "' }.coaching.findings.entryId", hasItem("blame-customer"));

        InteractionRecorded e = recorded(c, id);
        assertEquals(3, e.coaching().findings().size(), e.toString());
        InteractionRecorded.Finding blame = e.coaching().findings().get(1);
        assertEquals("blame-customer", blame.entryId());
        assertEquals("your fault", blame.phrase());
        assertEquals("your fault", e.text().substring(blame.start(), blame.end()));
        assertFalse(blame.suggestion().isBlank());
    }

    @Test
    void inboundTextsAndNotesAreNotCheckedAndACleanReplyHasNoFindings() {
        UUID c = Api.newCase(Api.newCustomer());
        interaction(c, contact("INBOUND", "UPSET", "This is your fault and you should have known"))
                .statusCode(201)
                .body("coaching", nullValue());
        interaction(c, said("NOTE", "Customer says it is our fault; I think they should have paid"))
                .statusCode(201)
                .body("coaching", nullValue());
        interaction(c, said("SOLUTION_OFFERED", "I have refunded the late fee today and will confirm by email."))
                .statusCode(201)
                .body("coaching.findings", empty());
    }

    @Test
    void itNeverBlocksAReplyHoweverManyFindings() {
        UUID c = Api.newCase(Api.newCustomer());
        String worst = "Sorry, sorry, I apologise. Calm down: policy is policy, there is nothing I can do,"
                + " obviously it is your fault and unfortunately I can't help.";
        String id = interaction(c, said("APOLOGY", worst))
                .statusCode(201)
                .body("coaching.findings.entryId", hasItem("over-apology"))
                .body("coaching.findings.entryId", hasItem("dismissive-nothing-i-can-do"))
                .body("coaching.findings.entryId", hasItem("negative-cant-wont"))
                .extract()
                .path("id");
        given().get("/complaints/" + c + "/interactions").then().body("find { it.id == '" + id + "' }.text", is(worst));
    }

    @Test
    void afterAnAngryContactTheNextOutboundTextsGetDeEscalationSuggestionsUntilTheCustomerIsCalm() {
        UUID c = Api.newCase(Api.newCustomer());
        interaction(c, said("ACKNOWLEDGEMENT", "We have your complaint."))
                .statusCode(201)
                .body("coaching.deEscalationSuggestions", empty());
        interaction(c, contact("INBOUND", "ANGRY", "Customer shouting about the fee"))
                .statusCode(201)
                .body("coaching", nullValue());
        String reply = interaction(c, said("APOLOGY", "I am sorry about the fee; I will refund it today."))
                .statusCode(201)
                .body("coaching.findings", empty())
                .body("coaching.deEscalationSuggestions", not(empty()))
                .extract()
                .path("id");
        assertTrue(recorded(c, reply).coaching().deEscalationSuggestions().stream()
                .anyMatch(s -> s.contains("Acknowledge")));
        interaction(c, contact("INBOUND", "CALM", "Customer thanked us")).statusCode(201);
        interaction(c, said("SOLUTION_OFFERED", "The refund reaches you by Friday."))
                .statusCode(201)
                .body("coaching.deEscalationSuggestions", empty());
    }

    @Test
    void aThreateningOrAbusiveContactCallsForDeEscalationAndAnUpsetOneDoesNot() {
        for (String tone : List.of("THREATENING", "ABUSIVE", "UPSET")) {
            UUID c = Api.newCase(Api.newCustomer());
            interaction(c, contact("INBOUND", tone, "Customer on the phone")).statusCode(201);
            interaction(c, said("BOUNDARY_WARNING", "I want to help, and I need us to keep this respectful."))
                    .statusCode(201)
                    .body("coaching.deEscalationSuggestions", tone.equals("UPSET") ? empty() : not(empty()));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> currentAsBody(String reason) {
        Map<String, Object> l = given().get("/coaching/lexicon")
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        Map<String, Object> body = new HashMap<>(l);
        body.remove("version");
        body.remove("createdBy");
        body.remove("createdAt");
        body.put("reason", reason);
        return body;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entries(Map<String, Object> body) {
        List<Map<String, Object>> entries = new ArrayList<>((List<Map<String, Object>>) body.get("entries"));
        body.put("entries", entries);
        return entries;
    }

    static Map<String, Object> kindlyRevert() {
        Map<String, Object> e = new HashMap<>();
        e.put("id", "jargon-kindly-revert");
        e.put("kind", "SUBSTITUTION");
        e.put("category", "JARGON");
        e.put("swap", Map.of("kindly revert", "please reply"));
        return e;
    }

    @Test
    void aNewLexiconVersionIsStoredAnnouncedAndUsedAndEarlierVersionsStayReadable() {
        int before = given().get("/coaching/lexicon").then().extract().path("version");
        Map<String, Object> body = currentAsBody("plain words instead of jargon");
        entries(body).add(kindlyRevert());
        given().contentType(ContentType.JSON)
                .body(body)
                .put("/coaching/lexicon")
                .then()
                .statusCode(200)
                .body("version", is(before + 1))
                .body("createdBy", is("test-agent"))
                .body("entries.id", hasItem("jargon-kindly-revert"));
        given().get("/coaching/lexicon/versions")
                .then()
                .statusCode(200)
                .body("[0].version", is(before + 1))
                .body("[0].reason", is("plain words instead of jargon"));
        given().get("/coaching/lexicon/versions/" + before)
                .then()
                .statusCode(200)
                .body("entries.id", not(hasItem("jargon-kindly-revert")));
        BadInputTest.problem(given().get("/coaching/lexicon/versions/99999").then(), 404);
        BadInputTest.invalidField(given().get("/coaching/lexicon/versions/one").then(), "version");

        CoachingLexiconChanged changed = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> Api.KAFKA
                                .readAll(
                                        Topics.CASE_EVENTS,
                                        r -> CoachingLexiconChanged.SUBJECT.equals(r.key())
                                                && r.value().contains("\"version\":" + (before + 1) + ","))
                                .stream()
                                .map(r -> EventCodec.payload(r.event(), CoachingLexiconChanged.class))
                                .toList(),
                        l -> !l.isEmpty())
                .get(0);
        assertEquals(before, changed.previousVersion());
        assertNull(changed.caseId());
        assertTrue(changed.entries().stream().anyMatch(e -> e.id().equals("jargon-kindly-revert")));

        UUID c = Api.newCase(Api.newCustomer());
        interaction(c, said("SOLUTION_OFFERED", "Kindly revert with your account number."))
                .statusCode(201)
                .body("coaching.lexiconVersion", is(before + 1))
                .body("coaching.findings[0].phrase", is("Kindly revert"))
                .body("coaching.findings[0].suggestion", is("please reply"));
    }

    static Map<String, Object> perMyLastEmail() {
        Map<String, Object> e = new HashMap<>();
        e.put("id", "accusation-per-my-last-email");
        e.put("kind", "EXISTENCE");
        e.put("category", "ACCUSATION");
        e.put("tokens", List.of("per my last email"));
        e.put("suggestion", "Repeat what matters without pointing back");
        return e;
    }

    @Test
    void aLexiconThatDoesNotHoldIsRefusedAndNothingIsStored() {
        List<Map<String, Object>> bad = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        java.util.function.BiConsumer<String, java.util.function.Consumer<Map<String, Object>>> add =
                (field, change) -> {
                    Map<String, Object> body = currentAsBody("bad");
                    List<Map<String, Object>> entries = entries(body);
                    Map<String, Object> e = new HashMap<>(kindlyRevert());
                    e.put("id", "another-kindly-revert");
                    entries.add(e);
                    change.accept(body);
                    bad.add(body);
                    fields.add(
                            field == null
                                    ? null
                                    : field.replace("entries[N]", "entries[" + (entries.size() - 1) + "]"));
                    statuses.add(field == null ? 422 : 400);
                };
        add.accept("entries[N].kind", b -> last(b).put("kind", "EXISTENTIAL"));
        add.accept("entries[N].tokens", b -> {
            last(b).put("kind", "EXISTENCE");
            last(b).remove("swap");
            last(b).put("tokens", List.of());
            last(b).put("suggestion", "x");
        });
        add.accept("entries[N].max", b -> {
            last(b).put("kind", "OCCURRENCE");
            last(b).remove("swap");
            last(b).put("tokens", List.of("sorry"));
            last(b).put("suggestion", "once");
        });
        add.accept("entries[N].suggestion", b -> {
            last(b).put("kind", "EXISTENCE");
            last(b).remove("swap");
            last(b).put("tokens", List.of("kindly revert"));
        });
        add.accept("entries[N].exceptions", b -> last(b).put("exceptions", List.of("no worries")));
        add.accept("entries[N].swap", b -> last(b).put("swap", Map.of("kindly revert!", "please reply")));
        add.accept(null, b -> last(b).put("id", "blame-customer"));
        add.accept(
                "deEscalation.tones",
                b -> b.put("deEscalation", Map.of("tones", List.of("FURIOUS"), "suggestions", List.of("x"))));
        add.accept("reason", b -> b.remove("reason"));
        add.accept("version", b -> b.put("version", 7));

        int version = given().get("/coaching/lexicon").then().extract().path("version");
        for (int n = 0; n < bad.size(); n++) {
            Map<String, Object> body = bad.get(n);
            ValidatableResponse r = DbSnapshot.refusedWritingNothing(
                    dataSource,
                    () -> given().contentType(ContentType.JSON)
                            .body(body)
                            .put("/coaching/lexicon")
                            .then(),
                    statuses.get(n),
                    "refused: " + fields.get(n));
            if (fields.get(n) != null) {
                r.body("errors.field", hasItem(fields.get(n)));
            } else {
                r.body("type", is("urn:redress:problem:duplicate-lexicon-entry"));
            }
        }
        given().get("/coaching/lexicon").then().body("version", is(version));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> last(Map<String, Object> body) {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) body.get("entries");
        return entries.get(entries.size() - 1);
    }

    @Test
    void aDryRunShowsWhatACandidateWouldFindInRecordedTextsAndWritesNothing() {
        UUID c = Api.newCase(Api.newCustomer());
        var first = interaction(c, contact("OUTBOUND", "CALM", BLAMING))
                .statusCode(201)
                .extract();
        String blaming = first.path("id");
        var second = interaction(c, said("SOLUTION_OFFERED", "We refunded it, per my last email."))
                .statusCode(201)
                .extract();
        String pointing = second.path("id");
        // The window holds exactly these two texts, whatever else this JVM's tests recorded.
        Instant from = Instant.parse(first.path("occurredAt"));
        Instant to = Instant.parse(second.path("occurredAt")).plusNanos(1_000);

        Map<String, Object> candidate = currentAsBody("try: pointing back in, blame out");
        List<Map<String, Object>> entries = entries(candidate);
        entries.removeIf(e -> e.get("id").equals("blame-customer"));
        entries.add(perMyLastEmail());
        Map<String, Long> before = DbSnapshot.take(dataSource);
        ValidatableResponse r = given().contentType(ContentType.JSON)
                .queryParam("from", from.toString())
                .queryParam("to", to.toString())
                .queryParam("examples", "200")
                .body(candidate)
                .post("/coaching/lexicon/dry-run")
                .then()
                .statusCode(200)
                .body("texts", is(2))
                .body("truncated", is(false))
                .body("current.version", notNullValue())
                .body("added", is(1))
                .body("removed", is(2))
                .body("addedExamples[0].interactionId", is(pointing))
                .body("addedExamples[0].caseId", is(c.toString()))
                .body("addedExamples[0].phrase", is("per my last email"))
                .body("addedExamples[0].suggestion", is("Repeat what matters without pointing back"))
                .body("removedExamples.interactionId", contains(blaming, blaming))
                .body("removedExamples.phrase", contains("your fault", "you should have"))
                .body("entries.find { it.entryId == 'blame-customer' }.candidate", is(0))
                .body("entries.find { it.entryId == 'blame-customer' }.current", is(2))
                .body("entries.find { it.entryId == 'accusation-per-my-last-email' }.candidate", is(1))
                .body("entries.find { it.entryId == 'accusation-per-my-last-email' }.current", is(0));
        assertEquals(before, DbSnapshot.take(dataSource), "a dry-run writes nothing");
        r.body("current.findings", is(3)).body("candidate.findings", is(2)); // the accusation stays

        BadInputTest.invalidField(
                given().contentType(ContentType.JSON)
                        .queryParam("from", "yesterday")
                        .body(candidate)
                        .post("/coaching/lexicon/dry-run")
                        .then(),
                "from");
        BadInputTest.invalidField(
                given().contentType(ContentType.JSON)
                        .queryParam("limit", "0")
                        .body(candidate)
                        .post("/coaching/lexicon/dry-run")
                        .then(),
                "limit");
        candidate.put("deEscalation", Map.of("tones", List.of(), "suggestions", List.of()));
        last(candidate).put("kind", "OCCURRENCE");
        BadInputTest.invalidField(
                given().contentType(ContentType.JSON)
                        .body(candidate)
                        .post("/coaching/lexicon/dry-run")
                        .then(),
                "entries[" + (entries.size() - 1) + "].max");
    }

    @Test
    @TestSecurity(
            user = "an-agent",
            roles = {"agent"})
    void anAgentReadsTheLexiconButNeitherPublishesNorDryRunsOne() {
        given().get("/coaching/lexicon").then().statusCode(200).body("entries", not(empty()));
        given().contentType(ContentType.JSON)
                .body("{}")
                .put("/coaching/lexicon")
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/coaching/lexicon/dry-run")
                .then()
                .statusCode(403);
    }
}
