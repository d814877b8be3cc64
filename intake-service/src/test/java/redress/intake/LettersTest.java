package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Topics;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.LetterApproved;
import redress.events.payload.LetterDrafted;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.TestTokens;

/**
 * Issue 29, final response letters: drafted from the template of the case's profile, approved by a
 * supervisor other than the author (four eyes), sent as the FINAL_RESPONSE interaction carrying the
 * SHA-256 of the very PDF the API serves. Real tokens: the author and the approver are different
 * people. A refused step writes nothing.
 */
@QuarkusTest
class LettersTest {

    static final List<String> DISP_FINAL = List.of(
            "FOS_REFERRAL_RIGHT",
            "FOS_SIX_MONTH_LIMIT",
            "FOS_LEAFLET",
            "FOS_CONTACT_DETAILS",
            "FOS_TIME_LIMIT_CONSENT");

    @Inject
    DataSource dataSource;

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles));
    }

    static RequestSpecification author() {
        return as("agent-ann", "agent", "supervisor");
    }

    static RequestSpecification approver() {
        return as("supervisor-bob", "supervisor");
    }

    static UUID newCase(String profile) {
        String id = as("test-crm", "complaint-submitter")
                .contentType(ContentType.JSON)
                .body(Api.complaintJsonWithProfile(profile))
                .post("/complaints")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    static ValidatableResponse draft(UUID caseId, String body) {
        return author().contentType(ContentType.JSON)
                .body(body)
                .post("/complaints/" + caseId + "/letters")
                .then();
    }

    static String letters(UUID caseId) {
        return "/complaints/" + caseId + "/letters/";
    }

    /** Row counts of every table, with the letters per status: a refused step changes none of them. */
    Map<String, Long> snapshot() {
        Map<String, Long> counts = DbSnapshot.take(dataSource);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String q : List.of(
                    "SELECT count(*) FROM letter_template",
                    "SELECT count(*) FROM letter WHERE status = 'DRAFTED'",
                    "SELECT count(*) FROM letter WHERE status = 'APPROVED'",
                    "SELECT count(*) FROM letter WHERE status = 'SENT'")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    rs.next();
                    counts.put(q, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    ValidatableResponse refused(Supplier<ValidatableResponse> call, int status) {
        Map<String, Long> before = snapshot();
        ValidatableResponse r = BadInputTest.problem(call.get(), status);
        assertEquals(before, snapshot(), "a refused step must write nothing");
        return r;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] pdf(UUID caseId, String letterId) {
        return as("agent-carl", "agent")
                .get(letters(caseId) + letterId + "/pdf")
                .then()
                .statusCode(200)
                .contentType("application/pdf")
                .extract()
                .asByteArray();
    }

    @Test
    void aLetterIsDraftedApprovedByAnotherSupervisorAndSentWithItsPdfsHash() throws Exception {
        UUID caseId = newCase("UK_FCA_DISP");
        author().contentType(ContentType.JSON)
                .body(Api.resolution("Refunded the second debit"))
                .post("/complaints/" + caseId + "/resolution")
                .then()
                .statusCode(200);

        ValidatableResponse drafted = draft(caseId, """
                {"body":"We are sorry for the <double> debit & the delay.\\n\\nThe refund reaches you in 3 days."}""")
                .statusCode(201)
                .header("Location", containsString("/complaints/" + caseId + "/letters/"))
                .body("status", is("DRAFTED"))
                .body("profile", is("UK_FCA_DISP"))
                .body("language", is("en"))
                .body("templateVersion", is(1))
                .body("elements", is(DISP_FINAL))
                .body("draftedBy", is("agent-ann"))
                .body("documentSha256", matchesPattern("[0-9a-f]{64}"))
                .body("html", containsString("Dear Ada Lovelace,"))
                .body("html", containsString("we have upheld your complaint"))
                .body("html", containsString("We are sorry for the &lt;double&gt; debit &amp; the delay."))
                .body("html", containsString("<p>The refund reaches you in 3 days.</p>"));
        String letterId = drafted.extract().path("id");
        String sha = drafted.extract().path("documentSha256");

        byte[] pdf = pdf(caseId, letterId);
        assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.ISO_8859_1));
        assertEquals(sha, sha256(pdf), "the PDF served is the one hashed at the draft");
        assertArrayEquals(pdf, pdf(caseId, letterId), "rendering is deterministic");

        // Not yet approved: not sent. The author, a supervisor too, cannot approve their own letter.
        refused(() -> author().post(letters(caseId) + letterId + "/sending").then(), 409)
                .body("type", is("urn:redress:problem:letter-not-approved"));
        refused(() -> author().post(letters(caseId) + letterId + "/approval").then(), 422)
                .body("type", is("urn:redress:problem:four-eyes"));
        as("agent-carl", "agent")
                .post(letters(caseId) + letterId + "/approval")
                .then()
                .statusCode(403);

        approver()
                .post(letters(caseId) + letterId + "/approval")
                .then()
                .statusCode(200)
                .body("status", is("APPROVED"))
                .body("approvedBy", is("supervisor-bob"))
                .body("documentSha256", is(sha));
        refused(
                        () -> as("supervisor-dan", "supervisor")
                                .post(letters(caseId) + letterId + "/approval")
                                .then(),
                        409)
                .body("type", is("urn:redress:problem:letter-not-drafted"));

        String interactionId = as("agent-carl", "agent")
                .post(letters(caseId) + letterId + "/sending")
                .then()
                .statusCode(200)
                .body("status", is("SENT"))
                .body("sentBy", is("agent-carl"))
                .body("interactionId", notNullValue())
                .extract()
                .path("interactionId");
        refused(() -> author().post(letters(caseId) + letterId + "/sending").then(), 409)
                .body("type", is("urn:redress:problem:letter-already-sent"));

        author().get("/complaints/" + caseId + "/interactions")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + interactionId + "' }.kind", is("FINAL_RESPONSE"))
                .body("find { it.id == '" + interactionId + "' }.direction", is("OUTBOUND"))
                .body("find { it.id == '" + interactionId + "' }.elements", is(DISP_FINAL))
                .body("find { it.id == '" + interactionId + "' }.documentSha256", is(sha));
        author().get(letters(caseId))
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].status", is("SENT"))
                .body("[0].html", nullValue());

        List<CaseEvent> events = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> Api.KAFKA.caseRecords(Topics.CASE_EVENTS, caseId).stream()
                                .map(KafkaTestClient.Received::event)
                                .toList(),
                        l -> Api.types(l).contains("redress.interaction.recorded"));
        List<String> types = Api.types(events);
        assertEquals(
                List.of("redress.letter.drafted", "redress.letter.approved", "redress.interaction.recorded"),
                types.subList(types.size() - 3, types.size()),
                "drafted, approved, sent: " + types);
        LetterDrafted d = EventCodec.payload(event(events, "redress.letter.drafted"), LetterDrafted.class);
        assertEquals(sha, d.documentSha256());
        assertEquals(DISP_FINAL, d.elements());
        LetterApproved a = EventCodec.payload(event(events, "redress.letter.approved"), LetterApproved.class);
        assertEquals("agent-ann", a.draftedBy());
        assertEquals(
                "supervisor-bob",
                event(events, "redress.letter.approved").actor().id());
        InteractionRecorded sent =
                EventCodec.payload(event(events, "redress.interaction.recorded"), InteractionRecorded.class);
        assertEquals(InteractionKind.FINAL_RESPONSE, sent.kind());
        assertEquals(sha, sent.documentSha256());
        assertEquals(DISP_FINAL, sent.elements());
        for (String type : List.of("redress.letter.drafted", "redress.letter.approved")) {
            assertTrue(!Api.showsPersonalData(EventCodec.encode(event(events, type))), type + " names no customer");
        }
    }

    @Test
    void anAsicLetterCarriesAfcasDetailsAndTheFinalOutcome() {
        UUID caseId = newCase("AU_ASIC_RG271");
        draft(caseId, "{\"language\":\"en\"}")
                .statusCode(201)
                .body("profile", is("AU_ASIC_RG271"))
                .body(
                        "elements",
                        is(List.of("FINAL_OUTCOME", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS", "AFCA_TIME_LIMIT")))
                .body("html", containsString("Australian Financial Complaints Authority"))
                .body("html", containsString("www.afca.org.au"))
                .body("html", containsString("info@afca.org.au"))
                .body("html", containsString("1800 931 678"))
                .body("html", containsString("GPO Box 3, Melbourne VIC 3001"))
                .body("html", containsString("The final outcome of your complaint"))
                .body("html", containsString("Time limits may apply to complain to AFCA"));
    }

    @Test
    void aDispLetterCarriesAnnex3RsWordingEitherWay() {
        UUID caseId = newCase("UK_FCA_DISP");
        draft(caseId, "{}")
                .statusCode(201)
                .body(
                        "html",
                        containsString("You have the right to refer your complaint to the Financial Ombudsman Service,"
                                + " free of charge – but you must do so within six months of the date of this letter."))
                .body("html", containsString("the Ombudsman will not have our permission to consider your complaint"))
                .body("html", containsString("standard explanatory leaflet"))
                .body("html", containsString("www.financial-ombudsman.org.uk"));
        draft(caseId, "{\"consentToWaiveTimeLimits\":true}")
                .statusCode(201)
                .body("html", containsString("We consent to the Ombudsman considering your complaint"))
                .body("html", not(containsString("will not have our permission")));
    }

    @Test
    void aCaseWhoseProfileHasNoTemplateGetsNoLetter() {
        UUID us = newCase("US_CFPB");
        refused(() -> draft(us, "{}"), 422).body("type", is("urn:redress:problem:no-letter-template"));
        UUID uk = newCase("UK_FCA_DISP");
        refused(() -> draft(uk, "{\"language\":\"fr\"}"), 422)
                .body("type", is("urn:redress:problem:no-letter-template"));
        refused(() -> draft(uk, "{\"language\":\"not a language\"}"), 400);
        refused(
                () -> author().post(letters(uk) + UUID.randomUUID() + "/approval")
                        .then(),
                404);
    }

    @Test
    void anErasedCustomersLettersCanNoLongerBeReadDraftedOrSent() {
        UUID caseId = newCase("UK_FCA_DISP");
        String letterId = draft(caseId, "{}").statusCode(201).extract().path("id");
        approver().post(letters(caseId) + letterId + "/approval").then().statusCode(200);
        String customer = author().get("/complaints/" + caseId).then().extract().path("customer.id");
        approver()
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"customer asked\"}")
                .post("/customers/" + customer + "/erasure")
                .then()
                .statusCode(200);

        author().get(letters(caseId) + letterId)
                .then()
                .statusCode(200)
                .body("status", is("APPROVED"))
                .body("html", nullValue());
        BadInputTest.problem(author().get(letters(caseId) + letterId + "/pdf").then(), 410)
                .body("type", is("urn:redress:problem:customer-erased"));
        refused(() -> draft(caseId, "{}"), 409).body("type", is("urn:redress:problem:customer-erased"));
        refused(() -> author().post(letters(caseId) + letterId + "/sending").then(), 409)
                .body("type", is("urn:redress:problem:customer-erased"));
    }

    static ValidatableResponse putTemplate(String profile, String body, List<String> elements) {
        String json = "{\"body\":" + quote(body) + ",\"elements\":" + ResponsesTest.json(elements)
                + ",\"timeZone\":\"Europe/London\",\"reason\":\"test\"}";
        return as("admin-eve", "rules-admin")
                .contentType(ContentType.JSON)
                .body(json)
                .put("/letter-templates/" + profile + "/en")
                .then();
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Test
    void aTemplateThatIsNotQuteOrNotXhtmlOrLacksAStatementIsRefused() {
        String good = as("agent-carl", "agent")
                .get("/letter-templates/UK_FCA_DISP/en")
                .then()
                .statusCode(200)
                .body("version", greaterThanOrEqualTo(1))
                .extract()
                .path("body");
        refused(
                        () -> putTemplate(
                                "UK_FCA_DISP_PSD", "<html><body>{#if outcome}never closed</body></html>", DISP_FINAL),
                        422)
                .body("type", is("urn:redress:problem:letter-template-syntax"));
        refused(() -> putTemplate("UK_FCA_DISP_PSD", "<html><body><p>{unknownName}</p></body></html>", DISP_FINAL), 422)
                .body("type", is("urn:redress:problem:letter-template-rendering"));
        refused(() -> putTemplate("UK_FCA_DISP_PSD", "<html><body><p>unclosed</body></html>", DISP_FINAL), 422)
                .body("type", is("urn:redress:problem:letter-not-xhtml"));
        refused(() -> putTemplate("UK_FCA_DISP_PSD", good, List.of("FOS_REFERRAL_RIGHT")), 422)
                .body("type", is("urn:redress:problem:missing-response-elements"))
                .body("errors", hasSize(4));
        refused(() -> putTemplate("NO_SUCH_PROFILE", good, DISP_FINAL), 422)
                .body("type", is("urn:redress:problem:unknown-regulatory-profile"));
        refused(
                () -> as("agent-carl", "agent", "supervisor")
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .put("/letter-templates/UK_FCA_DISP_PSD/en")
                        .then(),
                403);

        int first = putTemplate("UK_FCA_DISP_PSD", good, DISP_FINAL)
                .statusCode(200)
                .body("profile", is("UK_FCA_DISP_PSD"))
                .body("elements", is(DISP_FINAL))
                .extract()
                .path("version");
        putTemplate("UK_FCA_DISP_PSD", good, DISP_FINAL).statusCode(200).body("version", is(first + 1));
        as("auditor-fay", "auditor")
                .get("/letter-templates")
                .then()
                .statusCode(200)
                .body("find { it.profile == 'UK_FCA_DISP_PSD' }.version", is(first + 1))
                .body("find { it.profile == 'AU_ASIC_RG271' }.language", is("en"));
        UUID psd = newCase("UK_FCA_DISP_PSD");
        draft(psd, "{}").statusCode(201).body("templateVersion", is(first + 1));
    }

    private static CaseEvent event(List<CaseEvent> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
    }
}
