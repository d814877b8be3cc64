package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import redress.events.CaseEvent;
import redress.events.Direction;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.payload.InteractionRecorded;

/**
 * Written responses meet regulatory clocks only when they say what the rules require: each kind's
 * fields, and the statements the case's profile asks for (redress.events.ResponseRequirements).
 * A refused response writes nothing.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class ResponsesTest {

    static final List<String> DISP_FINAL = List.of(
            "FOS_REFERRAL_RIGHT",
            "FOS_SIX_MONTH_LIMIT",
            "FOS_LEAFLET",
            "FOS_CONTACT_DETAILS",
            "FOS_TIME_LIMIT_CONSENT");

    @Inject
    DataSource dataSource;

    static String future(int days) {
        return Instant.now()
                .plus(days, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
    }

    static String response(String kind, String extra, List<String> elements) {
        return "{\"kind\":\"" + kind + "\",\"text\":\"Our letter of today\"" + extra
                + (elements == null ? "" : ",\"elements\":" + json(elements)) + "}";
    }

    static String json(List<String> codes) {
        return codes.stream().map(c -> "\"" + c + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    static ValidatableResponse record(UUID id, String body) {
        return Api.post("/complaints/" + id + "/interactions", body);
    }

    /** Posts a response that must be refused, and checks that it wrote nothing. */
    ValidatableResponse refused(UUID id, String body, int status) {
        return DbSnapshot.refusedWritingNothing(
                dataSource, () -> record(id, body), status, "a refused response must write nothing");
    }

    static InteractionRecorded recorded(UUID caseId, InteractionKind kind) {
        return Api.awaitEvents(caseId, 2).stream()
                .filter(e -> e.type().equals("redress.interaction.recorded"))
                .map(e -> EventCodec.payload(e, InteractionRecorded.class))
                .filter(p -> p.kind() == kind)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aDispFinalResponseNeedsEveryOmbudsmanStatement() {
        UUID id = Api.newCaseWithProfile("UK_FCA_DISP");
        refused(id, response("FINAL_RESPONSE", "", List.of("FOS_REFERRAL_RIGHT")), 422)
                .body("type", is("urn:redress:problem:missing-response-elements"))
                .body("errors", hasSize(4))
                .body("errors.field", everyItem(is("elements")))
                .body(
                        "errors.message",
                        hasItems(
                                startsWith("must include FOS_SIX_MONTH_LIMIT"),
                                startsWith("must include FOS_LEAFLET"),
                                startsWith("must include FOS_CONTACT_DETAILS"),
                                startsWith("must include FOS_TIME_LIMIT_CONSENT")))
                .body("errors.message", hasItem(containsString("DISP 1 Annex 3R")))
                .body("detail", containsString("UK_FCA_DISP"));
        refused(id, response("FINAL_RESPONSE", "", null), 422).body("errors", hasSize(5));
        given().get("/complaints/" + id).then().body("status", is("OPEN"));

        // With every statement (and a repeated one, kept once) it is recorded, outbound, and starts work.
        List<String> sent = new java.util.ArrayList<>(DISP_FINAL);
        sent.add("FOS_LEAFLET");
        record(id, response("FINAL_RESPONSE", "", sent))
                .statusCode(201)
                .body("kind", is("FINAL_RESPONSE"))
                .body("direction", is("OUTBOUND"))
                .body("elements", is(DISP_FINAL))
                .body("expectedBy", nullValue())
                .body("responseStatus", nullValue());
        given().get("/complaints/" + id).then().body("status", is("IN_PROGRESS"));

        List<CaseEvent> events = Api.awaitEvents(id, 3);
        assertEquals(
                List.of("redress.complaint.received", "redress.interaction.recorded", "redress.case.status-changed"),
                Api.types(events));
        InteractionRecorded p = EventCodec.payload(events.get(1), InteractionRecorded.class);
        assertEquals(InteractionKind.FINAL_RESPONSE, p.kind());
        assertEquals(Direction.OUTBOUND, p.direction());
        assertEquals(DISP_FINAL, p.elements());
        assertNull(p.expectedBy());
        assertEquals(events.get(1).id(), events.get(2).causationid(), "the response started work on the case");
    }

    @Test
    void aDispHoldingResponseSaysWhyAndWhenAndWhereToGo() {
        UUID id = Api.newCaseWithProfile("UK_FCA_DISP");
        List<String> all = List.of(
                "REASONS_FOR_DELAY", "EXPECTED_DATE", "FOS_REFERRAL_RIGHT", "FOS_LEAFLET", "FOS_CONTACT_DETAILS");
        BadInputTest.invalidField(record(id, response("HOLDING_RESPONSE", "", all)), "expectedBy")
                .body("errors.message", hasItem("is required for this kind of interaction"));
        refused(
                        id,
                        response(
                                "HOLDING_RESPONSE",
                                ",\"expectedBy\":\"" + Instant.now().minusSeconds(60) + "\"",
                                all),
                        400)
                .body("errors.field", hasItem("expectedBy"))
                .body("errors.message", hasItem("must be in the future"));
        refused(
                        id,
                        response(
                                "HOLDING_RESPONSE",
                                ",\"expectedBy\":\"" + future(14) + "\"",
                                List.of("REASONS_FOR_DELAY", "EXPECTED_DATE")),
                        422)
                .body("errors", hasSize(3));

        String due = future(14);
        record(id, response("HOLDING_RESPONSE", ",\"expectedBy\":\"" + due + "\"", all))
                .statusCode(201)
                .body("expectedBy", is(due))
                .body("elements", is(all));
        given().get("/complaints/" + id + "/interactions")
                .then()
                .body("[0].expectedBy", is(due))
                .body("[0].elements", is(all))
                .body("[0].direction", is("OUTBOUND"));
        assertEquals(
                Instant.parse(due),
                recorded(id, InteractionKind.HOLDING_RESPONSE).expectedBy());
    }

    @Test
    void aPsdHoldingResponseNeedsOnlyTheReasonsAndTheDeadline() {
        UUID id = Api.newCaseWithProfile("UK_FCA_DISP_PSD");
        record(
                        id,
                        response(
                                "HOLDING_RESPONSE",
                                ",\"expectedBy\":\"" + future(20) + "\"",
                                List.of("REASONS_FOR_DELAY", "EXPECTED_DATE")))
                .statusCode(201);
        refused(id, response("FINAL_RESPONSE", "", List.of()), 422).body("errors", hasSize(5));
    }

    @Test
    void aCfpbSubstantiveResponseIsInProgressOrClosedAndInThePortal() {
        UUID id = Api.newCaseWithProfile("US_CFPB");
        List<String> portal = List.of("CFPB_PORTAL_RESPONSE", "CFPB_STEPS_TAKEN");
        refused(id, response("SUBSTANTIVE_RESPONSE", "", portal), 400).body("errors.field", hasItem("responseStatus"));
        refused(id, response("SUBSTANTIVE_RESPONSE", ",\"responseStatus\":\"DONE\"", portal), 400)
                .body("errors.field", hasItem("responseStatus"))
                .body("errors.message", hasItem("must be one of IN_PROGRESS, CLOSED"));
        refused(id, response("SUBSTANTIVE_RESPONSE", ",\"responseStatus\":\"IN_PROGRESS\"", List.of()), 422)
                .body(
                        "errors.message",
                        hasItems(
                                startsWith("must include CFPB_PORTAL_RESPONSE"),
                                startsWith("must include CFPB_STEPS_TAKEN")));
        record(id, response("SUBSTANTIVE_RESPONSE", ",\"responseStatus\":\"IN_PROGRESS\"", portal))
                .statusCode(201)
                .body("responseStatus", is("IN_PROGRESS"));
        InteractionRecorded p = recorded(id, InteractionKind.SUBSTANTIVE_RESPONSE);
        assertEquals("IN_PROGRESS", p.responseStatus());
        assertEquals(portal, p.elements());
        refused(id, response("FINAL_RESPONSE", "", portal), 422)
                .body("errors.message", hasItem(startsWith("must include CFPB_FOLLOW_UP_ACTIONS")));
    }

    @Test
    void everyRg271ProfileAsksForAfcaInDelayNoticesAndFinalResponses() {
        for (String profile : List.of(
                "AU_ASIC_RG271", "AU_ASIC_RG271_SUPER", "AU_ASIC_RG271_HARDSHIP", "AU_ASIC_RG271_DEFAULT_NOTICE")) {
            UUID id = Api.newCaseWithProfile(profile);
            String when = ",\"expectedBy\":\"" + future(10) + "\"";
            refused(id, response("DELAY_NOTICE", when, List.of("REASONS_FOR_DELAY")), 422)
                    .body(
                            "errors.message",
                            hasItems(
                                    startsWith("must include AFCA_REFERRAL_RIGHT"),
                                    startsWith("must include AFCA_CONTACT_DETAILS")));
            record(
                            id,
                            response(
                                    "DELAY_NOTICE",
                                    when,
                                    List.of("REASONS_FOR_DELAY", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS")))
                    .statusCode(201);
            // RG 271 asks a delay notice for its three statements, not a date: one without is recorded
            // (and extends no deadline, docs/followup.md); a date given must still lie ahead.
            record(
                            id,
                            response(
                                    "DELAY_NOTICE",
                                    "",
                                    List.of("REASONS_FOR_DELAY", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS")))
                    .statusCode(201)
                    .body("expectedBy", nullValue());
            BadInputTest.invalidField(
                    record(
                            id,
                            response(
                                    "DELAY_NOTICE",
                                    ",\"expectedBy\":\"" + Instant.now().minusSeconds(60) + "\"",
                                    List.of("REASONS_FOR_DELAY", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS"))),
                    "expectedBy");
            refused(
                            id,
                            response(
                                    "FINAL_RESPONSE",
                                    "",
                                    List.of("FINAL_OUTCOME", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS")),
                            422)
                    .body("errors.message", hasItem(startsWith("must include AFCA_TIME_LIMIT")));
            record(
                            id,
                            response(
                                    "FINAL_RESPONSE",
                                    "",
                                    List.of(
                                            "FINAL_OUTCOME",
                                            "AFCA_REFERRAL_RIGHT",
                                            "AFCA_CONTACT_DETAILS",
                                            "AFCA_TIME_LIMIT")))
                    .statusCode(201);
        }
    }

    @Test
    void withoutARegulatoryProfileAResponseNeedsNoStatements() {
        UUID id = Api.newCaseWithProfile("DEFAULT");
        record(id, response("FINAL_RESPONSE", "", null)).statusCode(201).body("elements", empty());
        record(id, response("SUMMARY_RESOLUTION", "", List.of("FOS_REFERRAL_RIGHT")))
                .statusCode(201)
                .body("elements", contains("FOS_REFERRAL_RIGHT"));
        record(id, response("DELAY_NOTICE", ",\"expectedBy\":\"" + future(3) + "\"", null))
                .statusCode(201);
        assertEquals(List.of(), recorded(id, InteractionKind.FINAL_RESPONSE).elements());
    }

    @Test
    void aDispSummaryResolutionCarriesTheDisp154Statements() {
        UUID id = Api.newCaseWithProfile("UK_FCA_DISP");
        refused(id, response("SUMMARY_RESOLUTION", "", List.of("COMPLAINT_RESOLVED")), 422)
                .body("errors", hasSize(5));
        record(
                        id,
                        response(
                                "SUMMARY_RESOLUTION",
                                "",
                                List.of(
                                        "COMPLAINT_RESOLVED",
                                        "FOS_REFERRAL_RIGHT",
                                        "FOS_SIX_MONTH_LIMIT",
                                        "FOS_TIME_LIMIT_CONSENT",
                                        "FOS_CONTACT_DETAILS",
                                        "FOS_FURTHER_INFORMATION")))
                .statusCode(201);
    }

    @Test
    void badShapesNameTheirFieldAndWriteNothing() {
        UUID id = Api.newCaseWithProfile("UK_FCA_DISP");
        refused(id, response("FINAL_RESPONSE", "", List.of("FOS_REFERRAL_RIGHT", "FOS_ANYTHING")), 400)
                .body("errors.field", hasItem("elements"))
                .body("errors.message", hasItem(startsWith("FOS_ANYTHING is not a known element")));
        refused(id, "{\"kind\":\"FINAL_RESPONSE\",\"text\":\"x\",\"elements\":[\"FOS_LEAFLET\",null]}", 400)
                .body("errors.field", hasItem("elements"));
        refused(id, "{\"kind\":\"FINAL_RESPONSE\",\"text\":\"x\",\"elements\":\"FOS_LEAFLET\"}", 400)
                .body("errors.field", hasItem("elements"));
        refused(id, response("NOTE", "", List.of("FOS_LEAFLET")), 400)
                .body("errors.field", hasItem("elements"))
                .body("errors.message", hasItem("does not apply to a NOTE interaction"));
        refused(id, response("FINAL_RESPONSE", ",\"expectedBy\":\"" + future(3) + "\"", DISP_FINAL), 400)
                .body("errors.field", hasItem("expectedBy"));
        refused(id, response("FINAL_RESPONSE", ",\"responseStatus\":\"CLOSED\"", DISP_FINAL), 400)
                .body("errors.field", hasItem("responseStatus"));
        refused(id, response("FINAL_RESPONSE", ",\"direction\":\"OUTBOUND\"", DISP_FINAL), 400)
                .body("errors.field", hasItem("direction"));
        refused(
                        id,
                        response(
                                "CUSTOMER_CONTACT",
                                ",\"direction\":\"INBOUND\",\"channel\":\"PHONE\",\"tone\":\"CALM\","
                                        + "\"expectedBy\":\"" + future(3) + "\"",
                                null),
                        400)
                .body("errors.field", hasItem("expectedBy"));
        refused(id, response("HOLDING_RESPONSE", ",\"expectedBy\":\"soon\"", null), 400)
                .body("errors.field", hasItem("expectedBy"));
        refused(id, response("PARTIAL_RESPONSE", "", null), 400).body("errors.field", hasItem("kind"));
    }

    @Test
    void aClosedCaseTakesNoResponse() {
        UUID id = Api.newCaseWithProfile("UK_FCA_DISP");
        Api.post("/complaints/" + id + "/resolution", Api.resolution("refunded"))
                .statusCode(200);
        Api.post("/complaints/" + id + "/status", "{\"status\":\"CLOSED\"}").statusCode(200);
        refused(id, response("FINAL_RESPONSE", "", List.of()), 409).body("currentStatus", is("CLOSED"));
        // A resolved case still takes one (the letter often follows the resolution).
        UUID resolved = Api.newCaseWithProfile("UK_FCA_DISP");
        Api.post("/complaints/" + resolved + "/resolution", Api.resolution("refunded"))
                .statusCode(200);
        record(resolved, response("FINAL_RESPONSE", "", DISP_FINAL)).statusCode(201);
        given().get("/complaints/" + resolved).then().body("status", is("RESOLVED"));
    }
}
