package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.payload.CaseReclassified;

/**
 * {@code POST /complaints/{id}/classification}: a person corrects a case's regulatory profile,
 * product or category with a reason; the case shows the new classification and the change is a
 * {@code case.reclassified} event on case.events (its history).
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class ClassificationTest {

    @Inject
    DataSource dataSource;

    static ValidatableResponse reclassify(UUID id, String body) {
        return Api.post("/complaints/" + id + "/classification", body);
    }

    ValidatableResponse refused(UUID id, String body, int status) {
        return DbSnapshot.refusedWritingNothing(
                dataSource, () -> reclassify(id, body), status, "a refused reclassification must write nothing");
    }

    @Test
    void aCaseIsReclassifiedWithAReasonAndTheChangeIsAnEvent() {
        UUID id = Api.newCaseWithProfile("DEFAULT");
        reclassify(id, """
                {"regulatoryProfile":" UK_FCA_DISP_PSD ","product":" Debit card ","reason":" A card payment: PSD complaint "}""")
                .statusCode(200)
                .body("regulatoryProfile", is("UK_FCA_DISP_PSD"))
                .body("product", is("Debit card"))
                .body("category", is("Billing"))
                .body("status", is("OPEN"));
        given().get("/complaints/" + id)
                .then()
                .body("regulatoryProfile", is("UK_FCA_DISP_PSD"))
                .body("product", is("Debit card"))
                .body("category", is("Billing"));

        List<CaseEvent> events = Api.awaitEvents(id, 2);
        assertEquals(List.of("redress.complaint.received", "redress.case.reclassified"), Api.types(events));
        CaseEvent e = events.get(1);
        assertEquals(ActorType.AGENT, e.actortype());
        assertEquals("test-crm", e.actorid());
        assertEquals("redress:case.reclassified/1", e.dataschema());
        CaseReclassified p = EventCodec.payload(e, CaseReclassified.class);
        assertEquals(
                new CaseReclassified(
                        id,
                        p.reference(),
                        "DEFAULT",
                        "UK_FCA_DISP_PSD",
                        "Current account",
                        "Debit card",
                        "Billing",
                        "Billing",
                        "A card payment: PSD complaint"),
                p);

        // A second correction: the category alone, and the product cleared.
        reclassify(id, "{\"category\":\"card fraud\",\"product\":\"\",\"reason\":\"not a billing matter\"}")
                .statusCode(200)
                .body("category", is("card fraud"))
                .body("product", nullValue())
                .body("regulatoryProfile", is("UK_FCA_DISP_PSD"));
        CaseReclassified second = EventCodec.payload(Api.awaitEvents(id, 3).get(2), CaseReclassified.class);
        assertEquals("Debit card", second.previousProduct());
        assertNull(second.product());
        assertEquals("UK_FCA_DISP_PSD", second.previousProfile());
        assertEquals("UK_FCA_DISP_PSD", second.profile());
    }

    @Test
    void theNewProfileDecidesWhatAResponseMustSay() {
        UUID id = Api.newCaseWithProfile("DEFAULT");
        reclassify(id, "{\"regulatoryProfile\":\"UK_FCA_DISP\",\"reason\":\"a regulated account after all\"}")
                .statusCode(200);
        BadInputTest.problem(
                        Api.post(
                                "/complaints/" + id + "/interactions",
                                "{\"kind\":\"FINAL_RESPONSE\",\"text\":\"Our final response\"}"),
                        422)
                .body("type", is("urn:redress:problem:missing-response-elements"));
    }

    @Test
    void anyStatusButClosedMayBeReclassified() {
        UUID resolved = Api.newCaseWithProfile("DEFAULT");
        Api.post("/complaints/" + resolved + "/resolution", "{\"summary\":\"refunded\"}")
                .statusCode(200);
        reclassify(resolved, "{\"product\":\"savings\",\"reason\":\"wrong product\"}")
                .statusCode(200)
                .body("status", is("RESOLVED"));
        Api.post("/complaints/" + resolved + "/status", "{\"status\":\"CLOSED\"}")
                .statusCode(200);
        refused(resolved, "{\"product\":\"loan\",\"reason\":\"wrong again\"}", 409)
                .body("currentStatus", is("CLOSED"))
                .body("detail", containsString("reopen"));
    }

    @Test
    void badShapesAreRefusedAndWriteNothing() {
        UUID id = Api.newCaseWithProfile("US_CFPB");
        refused(id, "{\"reason\":\"nothing to change\"}", 422)
                .body("type", is("urn:redress:problem:classification-unchanged"));
        refused(id, "{\"regulatoryProfile\":\"US_CFPB\",\"category\":\"Billing\",\"reason\":\"same as before\"}", 422)
                .body("type", is("urn:redress:problem:classification-unchanged"));
        refused(id, "{\"regulatoryProfile\":\"MARS_2099\",\"reason\":\"x\"}", 422)
                .body("type", is("urn:redress:problem:unknown-regulatory-profile"))
                .body("detail", containsString("MARS_2099"));
        refused(id, "{\"regulatoryProfile\":\"UK_FCA_DISP\"}", 400).body("errors.field", hasItem("reason"));
        refused(id, "{\"regulatoryProfile\":\"UK_FCA_DISP\",\"reason\":\"  \"}", 400)
                .body("errors.field", hasItem("reason"));
        refused(id, "{\"regulatoryProfile\":\"UK_FCA_DISP\",\"reason\":\"" + "r".repeat(2001) + "\"}", 400)
                .body("errors.field", hasItem("reason"));
        refused(id, "{\"category\":\" \",\"reason\":\"x\"}", 400).body("errors.field", hasItem("category"));
        refused(id, "{\"category\":\"" + "c".repeat(101) + "\",\"reason\":\"x\"}", 400)
                .body("errors.field", hasItem("category"));
        refused(id, "{\"regulatoryProfile\":\"\",\"reason\":\"x\"}", 400)
                .body("errors.field", hasItem("regulatoryProfile"));
        refused(id, "{\"profile\":\"UK_FCA_DISP\",\"reason\":\"x\"}", 400).body("errors.field", hasItem("profile"));
        refused(id, "{\"category\":\"fees\",\"reason\":\"x\\u0000y\"}", 400).body("errors.field", hasItem("reason"));
        refused(id, "", 400).body("errors.field", hasItem("body"));
        refused(id, "[]", 400);
    }

    @Test
    void unknownAndMalformedIds() {
        UUID unknown = UUID.randomUUID();
        BadInputTest.problem(reclassify(unknown, "{\"category\":\"fees\",\"reason\":\"x\"}"), 404)
                .body("detail", containsString(unknown.toString()));
        BadInputTest.invalidField(reclassify(null, "{\"category\":\"fees\",\"reason\":\"x\"}"), "id");
    }

    @Test
    @TestSecurity(
            user = "crm-x",
            roles = {"complaint-submitter", "auditor", "operator", "rules-admin"})
    void onlyAgentsAndSupervisorsReclassify() {
        BadInputTest.problem(reclassify(UUID.randomUUID(), "{\"category\":\"fees\",\"reason\":\"x\"}"), 403);
    }
}
