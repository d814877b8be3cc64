package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
import redress.events.Outcome;
import redress.events.Topics;
import redress.events.payload.CaseReclassified;
import redress.events.payload.CaseResolved;
import redress.events.payload.TaxonomyChanged;

/**
 * Issue 29: a resolution records its outcome, root cause and product group (required on a case with
 * a regulatory profile), checked against the complaint taxonomy, which is versioned data published
 * by a rules-admin, each version an event.
 */
@QuarkusTest
@TestSecurity(
        user = "test-agent",
        roles = {"complaint-submitter", "agent", "supervisor", "rules-admin"})
class OutcomesTest {

    @Inject
    DataSource dataSource;

    static UUID newCase(String profile) {
        return Api.newCaseWithProfile(profile);
    }

    static ValidatableResponse resolve(UUID id, String body) {
        return Api.post("/complaints/" + id + "/resolution", body);
    }

    ValidatableResponse refused(ValidatableResponse call, int status, Map<String, Long> before) {
        ValidatableResponse r = BadInputTest.problem(call, status);
        assertEquals(before, DbSnapshot.take(dataSource), "a refused request must write nothing");
        return r;
    }

    @Test
    void aRegulatedResolutionRecordsItsOutcomeCauseAndProductGroupInTheEvent() {
        UUID id = newCase("UK_FCA_DISP");
        resolve(id, """
                {"summary":"Refunded the second debit","outcome":"PARTLY_UPHELD",
                 "rootCause":" TRANSACTION_ERROR ","productGroup":"CURRENT_ACCOUNT"}""")
                .statusCode(200)
                .body("status", is("RESOLVED"))
                .body("outcome", is("PARTLY_UPHELD"))
                .body("rootCause", is("TRANSACTION_ERROR"))
                .body("productGroup", is("CURRENT_ACCOUNT"))
                .body("taxonomyVersion", greaterThanOrEqualTo(1));
        given().get("/complaints/" + id)
                .then()
                .body("outcome", is("PARTLY_UPHELD"))
                .body("productGroup", is("CURRENT_ACCOUNT"));
        CaseResolved r = EventCodec.payload(Api.awaitEvents(id, 2).get(1), CaseResolved.class);
        assertEquals(Outcome.PARTLY_UPHELD, r.outcome());
        assertEquals("TRANSACTION_ERROR", r.rootCause());
        assertEquals("CURRENT_ACCOUNT", r.productGroup());
        assertTrue(r.taxonomyVersion() >= 1);
    }

    @Test
    void aCaseWithAProductGroupNeedsNoneAtResolutionAndTheReclassificationIsAnEvent() {
        UUID id = newCase("AU_ASIC_RG271");
        Api.post("/complaints/" + id + "/classification", """
                {"productGroup":"CREDIT_CARD","reason":"a card complaint"}""").statusCode(200).body("productGroup", is("CREDIT_CARD"));
        CaseReclassified change = EventCodec.payload(Api.awaitEvents(id, 2).get(1), CaseReclassified.class);
        assertEquals(null, change.previousProductGroup());
        assertEquals("CREDIT_CARD", change.productGroup());
        assertEquals("AU_ASIC_RG271", change.profile());

        resolve(id, "{\"summary\":\"explained\",\"outcome\":\"NOT_UPHELD\",\"rootCause\":\"DISCLOSURE\"}")
                .statusCode(200)
                .body("productGroup", is("CREDIT_CARD"))
                .body("outcome", is("NOT_UPHELD"));
        CaseResolved r = EventCodec.payload(Api.awaitEvents(id, 3).get(2), CaseResolved.class);
        assertEquals("CREDIT_CARD", r.productGroup());
    }

    @Test
    void aCaseWithoutARegulatoryProfileMayBeResolvedWithoutAnOutcome() {
        UUID id = newCase("DEFAULT");
        resolve(id, "{\"summary\":\"sorted\"}").statusCode(200).body("outcome", nullValue());
        CaseResolved r = EventCodec.payload(Api.awaitEvents(id, 2).get(1), CaseResolved.class);
        assertEquals(null, r.outcome());
        assertEquals(null, r.taxonomyVersion());
    }

    @Test
    void badDecisionsAreRefusedAndWriteNothing() {
        UUID id = newCase("UK_FCA_DISP");
        Map<String, Long> before = DbSnapshot.take(dataSource);
        refused(resolve(id, "{\"summary\":\"refunded\"}"), 400, before).body("errors[0].field", is("outcome"));
        refused(resolve(id, "{\"summary\":\"refunded\",\"outcome\":\"UPHELD\"}"), 400, before)
                .body("errors[0].field", is("rootCause"));
        refused(resolve(id, "{\"summary\":\"refunded\",\"outcome\":\"UPHELD\",\"rootCause\":\"OTHER\"}"), 400, before)
                .body("errors[0].field", is("productGroup"));
        refused(resolve(id, """
                {"summary":"refunded","outcome":"MOSTLY_UPHELD","rootCause":"OTHER","productGroup":"SAVINGS"}"""), 400, before).body("detail", containsString("UPHELD, PARTLY_UPHELD, NOT_UPHELD"));
        refused(resolve(id, """
                {"summary":"refunded","outcome":"UPHELD","rootCause":"BAD_LUCK","productGroup":"SAVINGS"}"""), 422, before).body("type", is("urn:redress:problem:unknown-root-cause"));
        refused(resolve(id, """
                {"summary":"refunded","outcome":"UPHELD","rootCause":"OTHER","productGroup":"YACHTS"}"""), 422, before).body("type", is("urn:redress:problem:unknown-product-group"));
        refused(
                        Api.post(
                                "/complaints/" + id + "/classification",
                                "{\"productGroup\":\"YACHTS\",\"reason\":\"boats\"}"),
                        422,
                        before)
                .body("type", is("urn:redress:problem:unknown-product-group"));
        given().get("/complaints/" + id).then().body("status", is("OPEN")).body("outcome", nullValue());
    }

    @Test
    void aRulesAdminPublishesANewTaxonomyVersionAndItIsAnEvent() {
        int before = given().get("/taxonomy").then().statusCode(200).extract().path("version");
        given().get("/taxonomy")
                .then()
                .body("productGroups.code", hasItems("CURRENT_ACCOUNT", "MORTGAGE", "PERSONAL_PENSION"))
                .body("productGroups.find { it.code == 'MORTGAGE' }.fcaProductGroup", is("HOME_FINANCE"))
                .body("rootCauses.code", hasItem("TRANSACTION_ERROR"));
        String next = """
                {"reason":"a product group for buy-now-pay-later",
                 "productGroups":[
                   {"code":"CURRENT_ACCOUNT","label":"Current accounts","fcaProductGroup":"BANKING_AND_CREDIT_CARDS","asicProduct":"DEPOSIT_TAKING"},
                   {"code":"BNPL","label":"Buy now, pay later","fcaProductGroup":"BANKING_AND_CREDIT_CARDS","asicProduct":"CREDIT"}],
                 "rootCauses":[
                   {"code":"TRANSACTION_ERROR","label":"Transaction errors","asicIssue":"TRANSACTIONS"},
                   {"code":"AFFORDABILITY","label":"Lending affordability","asicIssue":"CREDIT"}]}""";
        given().contentType(ContentType.JSON)
                .body(next)
                .put("/taxonomy")
                .then()
                .statusCode(200)
                .body("version", is(before + 1))
                .body("createdBy", is("test-agent"))
                .body("productGroups.code", contains("CURRENT_ACCOUNT", "BNPL"));
        given().get("/taxonomy/versions/" + before)
                .then()
                .statusCode(200)
                .body("productGroups.code", hasItem("MORTGAGE"));
        given().get("/taxonomy/versions").then().body("version[0]", is(before + 1));

        TaxonomyChanged changed = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> Api.KAFKA
                                .readAll(
                                        Topics.CASE_EVENTS,
                                        r -> TaxonomyChanged.SUBJECT.equals(r.key())
                                                && r.value().contains("\"version\":" + (before + 1) + ","))
                                .stream()
                                .map(r -> EventCodec.payload(r.event(), TaxonomyChanged.class))
                                .toList(),
                        l -> !l.isEmpty())
                .get(0);
        assertEquals(before, changed.previousVersion());
        assertEquals(
                List.of("TRANSACTION_ERROR", "AFFORDABILITY"),
                changed.rootCauses().stream()
                        .map(TaxonomyChanged.RootCause::code)
                        .toList());

        // The new version is what resolutions are checked against now; the old codes are gone.
        UUID id = newCase("UK_FCA_DISP");
        resolve(id, """
                {"summary":"refunded","outcome":"UPHELD","rootCause":"AFFORDABILITY","productGroup":"BNPL"}""").statusCode(200).body("taxonomyVersion", is(before + 1));
        UUID other = newCase("UK_FCA_DISP");
        BadInputTest.problem(resolve(other, """
                        {"summary":"refunded","outcome":"UPHELD","rootCause":"OTHER","productGroup":"BNPL"}"""), 422);

        // Put the seed's lists back (a new version), for the other tests of this JVM.
        Map<String, Object> seed =
                given().get("/taxonomy/versions/" + before).then().extract().as(Map.class);
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "productGroups",
                        seed.get("productGroups"),
                        "rootCauses",
                        seed.get("rootCauses"),
                        "reason",
                        "restore"))
                .put("/taxonomy")
                .then()
                .statusCode(200)
                .body("version", is(before + 2));
    }

    @Test
    void aBadTaxonomyIsRefusedAndWritesNothing() {
        Map<String, Long> before = DbSnapshot.take(dataSource);
        int version = given().get("/taxonomy").then().extract().path("version");
        String group = "{\"code\":\"%s\",\"label\":\"x\",\"fcaProductGroup\":\"%s\",\"asicProduct\":\"CREDIT\"}";
        String cause = "{\"code\":\"OTHER\",\"label\":\"Other\",\"asicIssue\":\"OTHER\"}";
        for (String body : List.of(
                "{\"reason\":\"r\",\"productGroups\":[" + group.formatted("A", "HOME_FINANCE") + ","
                        + group.formatted("A", "HOME_FINANCE") + "],\"rootCauses\":[" + cause + "]}",
                "{\"reason\":\"r\",\"productGroups\":[" + group.formatted("A", "YACHTING") + "],\"rootCauses\":["
                        + cause + "]}")) {
            refused(
                    given().contentType(ContentType.JSON)
                            .body(body)
                            .put("/taxonomy")
                            .then(),
                    422,
                    before);
        }
        for (String body : List.of(
                "{\"reason\":\"r\",\"productGroups\":[],\"rootCauses\":[" + cause + "]}",
                "{\"reason\":\"r\",\"productGroups\":[" + group.formatted("lower case", "HOME_FINANCE")
                        + "],\"rootCauses\":[" + cause + "]}",
                "{\"productGroups\":[" + group.formatted("A", "HOME_FINANCE") + "],\"rootCauses\":[" + cause + "]}")) {
            refused(
                    given().contentType(ContentType.JSON)
                            .body(body)
                            .put("/taxonomy")
                            .then(),
                    400,
                    before);
        }
        given().get("/taxonomy").then().body("version", is(version));
    }

    @Test
    @TestSecurity(
            user = "an-agent",
            roles = {"agent"})
    void onlyARulesAdminPublishesATaxonomy() {
        given().get("/taxonomy").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").put("/taxonomy").then().statusCode(403);
    }
}
