package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Every bad shape gets a precise problem+json that names the field where there is one, and changes
 * nothing: each test compares the row counts of every table before and after.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class BadInputTest {

    static final String PROBLEM = "application/problem+json";

    @Inject
    DataSource dataSource;

    UUID openCase;
    Map<String, Long> before;

    @BeforeEach
    void snapshot() {
        openCase = Api.newCase(Api.newCustomer());
        before = DbSnapshot.take(dataSource);
    }

    @AfterEach
    void nothingChanged() {
        assertEquals(before, DbSnapshot.take(dataSource), "a refused request must write nothing");
    }

    static ValidatableResponse problem(ValidatableResponse r, int status) {
        return r.statusCode(status)
                .contentType(PROBLEM)
                .body("status", is(status))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body("type", startsWith("urn:redress:problem:"))
                .body(not(containsString("Exception")))
                .body(not(containsString("redress.")));
    }

    static ValidatableResponse invalidField(ValidatableResponse r, String field) {
        return problem(r, 400).body("errors.field", hasItem(field));
    }

    String valid() {
        return Api.complaintJson(Api.newCustomer());
    }

    // --- POST /complaints ---

    @Test
    void malformedJson() {
        problem(Api.submit("{\"customer\": {\"id\": \"C-1\""), 400).body("detail", containsString("not valid JSON"));
    }

    @Test
    void emptyBody() {
        invalidField(given().contentType(ContentType.JSON).post("/complaints").then(), "body");
    }

    @Test
    void jsonThatIsNotAnObject() {
        problem(Api.submit("[1, 2]"), 400);
        problem(Api.submit("\"text\""), 400);
    }

    @Test
    void wrongContentType() {
        problem(
                given().contentType(ContentType.TEXT)
                        .body(valid())
                        .post("/complaints")
                        .then(),
                415);
    }

    @Test
    void missingFields() {
        problem(Api.submit("{}"), 400).body("errors.field", hasItems("customer", "channel", "category", "summary"));
        invalidField(
                Api.submit(valid().replace("\"id\":", "\"ref\":")
                        .replace("\"ref\"", "\"id\"")
                        .replace("\"customer\":{\"id\":\"", "\"customer\":{\"name\":\"x\",\"id\":\"")
                        .replaceFirst("\"id\":\"C-[^\"]*\",", "")),
                "customer.id");
    }

    @Test
    void blankFields() {
        invalidField(Api.submit(valid().replace("\"Charged twice\"", "\"   \"")), "summary");
        invalidField(Api.submit(valid().replace("\" Billing \"", "\"\"")), "category");
    }

    @Test
    void oversizedFields() {
        invalidField(Api.submit(valid().replace("Charged twice", "x".repeat(201))), "summary")
                .body("errors.message", hasItem(containsString("200")));
        invalidField(Api.submit(valid().replace("\"Current account\"", "\"" + "p".repeat(101) + "\"")), "product");
        String longCustomer = "C-" + "9".repeat(100);
        invalidField(Api.submit(Api.complaintJson(longCustomer)), "customer.id");
    }

    @Test
    void badEmail() {
        invalidField(Api.submit(valid().replace("ada@example.org", "not-an-email")), "customer.email");
    }

    @Test
    void bodyJustOverTheLimit() {
        String json = valid();
        String padded = json.replace("\"Two debits", "\"" + "d".repeat(65_536 - json.length() + 1) + "Two debits");
        assertEquals(65_537, padded.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        problem(Api.submit(padded), 413).body("detail", containsString("65536"));
    }

    @Test
    void bodyAtTheLimitIsNotRefusedForItsSize() {
        // 64 KiB exactly passes the size check and is then judged on its fields (description too long).
        String json = valid();
        String padded = json.replace("\"Two debits", "\"" + "d".repeat(65_536 - json.length()) + "Two debits");
        invalidField(Api.submit(padded), "description");
    }

    @Test
    void unknownEnumValues() {
        invalidField(Api.submit(valid().replace("\"EMAIL\"", "\"FAX\"")), "channel")
                .body("errors.message", hasItem(containsString("EMAIL, PHONE, WEB")));
        invalidField(Api.submit(valid().replace("\"HIGH\"", "\"URGENT\"")), "severity");
    }

    @Test
    void wrongTypes() {
        invalidField(Api.submit(valid().replaceFirst("\\{\"id\":\"C-[^\"]*\"[^}]*}", "\"C-1\"")), "customer");
        invalidField(Api.submit(valid().replace("\"Charged twice\"", "{\"a\":1}")), "summary");
    }

    @Test
    void unknownField() {
        invalidField(Api.submit(valid().replace("\"severity\"", "\"severty\"")), "severty")
                .body("errors.message", hasItem("is not a known field"));
    }

    @Test
    void unknownRegulatoryProfile() {
        problem(Api.submit(valid().replace("UK_FCA_DISP", "MARS_2099")), 422)
                .body("type", is("urn:redress:problem:unknown-regulatory-profile"))
                .body("detail", containsString("MARS_2099"));
    }

    @Test
    void badIdempotencyKey() {
        invalidField(
                given().contentType(ContentType.JSON)
                        .header("Idempotency-Key", "k".repeat(201))
                        .body(valid())
                        .post("/complaints")
                        .then(),
                "Idempotency-Key");
    }

    // --- ids ---

    @Test
    void unknownCaseId() {
        UUID unknown = UUID.randomUUID();
        problem(given().get("/complaints/" + unknown).then(), 404).body("detail", containsString(unknown.toString()));
        problem(Api.post("/complaints/" + unknown + "/interactions", "{\"kind\":\"NOTE\",\"text\":\"x\"}"), 404);
        problem(Api.post("/complaints/" + unknown + "/status", "{\"status\":\"IN_PROGRESS\"}"), 404);
        problem(given().get("/complaints/" + unknown + "/promises").then(), 404);
    }

    @Test
    void malformedCaseId() {
        invalidField(given().get("/complaints/not-a-uuid").then(), "id");
        invalidField(Api.post("/complaints/123/interactions", "{\"kind\":\"NOTE\",\"text\":\"x\"}"), "id");
    }

    // --- lifecycle ---

    @Test
    void impossibleTransition() {
        problem(Api.post("/complaints/" + openCase + "/status", "{\"status\":\"CLOSED\"}"), 409)
                .body("currentStatus", is("OPEN"))
                .body("detail", containsString("OPEN"));
        problem(Api.post("/complaints/" + openCase + "/status", "{\"status\":\"OPEN\"}"), 409)
                .body("currentStatus", is("OPEN"));
    }

    @Test
    void resolvingThroughStatusPointsToResolution() {
        problem(Api.post("/complaints/" + openCase + "/status", "{\"status\":\"RESOLVED\"}"), 409)
                .body("detail", containsString("/resolution"));
    }

    @Test
    void unknownTargetStatus() {
        invalidField(Api.post("/complaints/" + openCase + "/status", "{\"status\":\"ARCHIVED\"}"), "status");
        invalidField(Api.post("/complaints/" + openCase + "/status", "{}"), "status");
    }

    @Test
    void resolutionNeedsASummary() {
        invalidField(Api.post("/complaints/" + openCase + "/resolution", "{\"summary\":\" \"}"), "summary");
        invalidField(Api.post("/complaints/" + openCase + "/resolution", "{}"), "summary");
    }

    // --- interactions ---

    @Test
    void promiseDueInThePast() {
        String past = Instant.now().minusSeconds(60).toString();
        invalidField(
                        Api.post(
                                "/complaints/" + openCase + "/interactions",
                                "{\"kind\":\"EXPECTATION_SET\",\"text\":\"Call back\",\"dueAt\":\"" + past + "\"}"),
                        "dueAt")
                .body("errors.message", hasItem("must be in the future"));
        invalidField(
                Api.post(
                        "/complaints/" + openCase + "/interactions",
                        "{\"kind\":\"EXPECTATION_SET\",\"text\":\"Call back\"}"),
                "dueAt");
        invalidField(
                Api.post(
                        "/complaints/" + openCase + "/interactions",
                        "{\"kind\":\"EXPECTATION_SET\",\"text\":\"Call back\",\"dueAt\":\"next friday\"}"),
                "dueAt");
    }

    @Test
    void kindSpecificFields() {
        invalidField(
                Api.post(
                        "/complaints/" + openCase + "/interactions",
                        "{\"kind\":\"CUSTOMER_CONTACT\",\"text\":\"Called\",\"direction\":\"INBOUND\",\"channel\":\"PHONE\"}"),
                "tone");
        invalidField(
                Api.post(
                        "/complaints/" + openCase + "/interactions",
                        "{\"kind\":\"NOTE\",\"text\":\"x\",\"tone\":\"ANGRY\"}"),
                "tone");
        invalidField(
                Api.post(
                        "/complaints/" + openCase + "/interactions",
                        "{\"kind\":\"CUSTOMER_CONTACT\",\"text\":\"Called\",\"direction\":\"SIDEWAYS\",\"channel\":\"PHONE\",\"tone\":\"CALM\"}"),
                "direction");
        invalidField(
                Api.post("/complaints/" + openCase + "/interactions", "{\"kind\":\"TELEPATHY\",\"text\":\"x\"}"),
                "kind");
        invalidField(Api.post("/complaints/" + openCase + "/interactions", "{\"kind\":\"NOTE\"}"), "text");
    }

    // --- assignment and promises ---

    @Test
    void assignmentNeedsABriefing() {
        invalidField(
                Api.post("/complaints/" + openCase + "/assignment", "{\"assignee\":\"sam\",\"level\":\"TEAM_LEAD\"}"),
                "briefing");
        invalidField(
                Api.post(
                        "/complaints/" + openCase + "/assignment",
                        "{\"assignee\":\"sam\",\"level\":\"CEO\",\"briefing\":\"b\"}"),
                "level");
    }

    @Test
    void unknownOrMalformedPromise() {
        problem(Api.post("/complaints/" + openCase + "/promises/" + UUID.randomUUID() + "/kept", ""), 404);
        invalidField(Api.post("/complaints/" + openCase + "/promises/nope/kept", ""), "promiseId");
    }

    // --- listing ---

    @Test
    void badCursorAndLimits() {
        invalidField(given().get("/complaints?after=garbage!").then(), "after");
        invalidField(given().get("/complaints?after=bm90LWEtY3Vyc29y").then(), "after");
        invalidField(given().get("/complaints?limit=0").then(), "limit");
        invalidField(given().get("/complaints?limit=1000").then(), "limit");
        invalidField(given().get("/complaints?limit=ten").then(), "limit");
        invalidField(given().get("/complaints?status=LOST").then(), "status");
        invalidField(given().get("/complaints?severity=URGENT").then(), "severity");
        invalidField(given().get("/complaints?level=CEO").then(), "level");
    }

    @Test
    void cursorReplayedWithOtherFilters() {
        String next = given().get("/complaints?limit=1")
                .then()
                .statusCode(200)
                .extract()
                .path("next");
        invalidField(
                        given().get("/complaints?limit=1&severity=HIGH&after=" + next)
                                .then(),
                        "after")
                .body("errors.message", hasItem(containsString("other filters")));
    }

    // --- the framework's own errors ---

    @Test
    void unknownPathAndMethod() {
        problem(given().get("/nothing-here").then(), 404);
        problem(given().delete("/complaints").then(), 405);
    }

    @Test
    void controlCharactersInTextAreRefused() {
        // A NUL is valid JSON but no PostgreSQL text column can hold it; other controls are junk.
        invalidField(Api.submit(valid().replace("Charged twice", "Charged\\u0000twice")), "summary")
                .body("errors.find { it.field == 'summary' }.message", containsString("control character"));
        invalidField(Api.submit(valid().replace("Ada Lovelace", "Ada\\u0007Lovelace")), "customer.name");
        invalidField(
                Api.post(
                        "/complaints/" + openCase + "/interactions",
                        "{\"kind\":\"APOLOGY\",\"text\":\"sorry\\u001b[31m\"}"),
                "text");
    }

    @Test
    void controlCharactersInQueryAndPathParametersAreRefused() {
        invalidField(
                given().urlEncodingEnabled(false)
                        .get("/complaints?customerId=a%00b")
                        .then(),
                "customerId");
        invalidField(
                given().urlEncodingEnabled(false)
                        .get("/complaints?assignee=ana%07")
                        .then(),
                "assignee");
        invalidField(
                given().urlEncodingEnabled(false)
                        .get("/customers/C%00x/complaints")
                        .then(),
                "customerId");
    }

    @Test
    void tabsAndLineBreaksInFreeTextAreKept() {
        Api.post(
                        "/complaints/" + openCase + "/interactions",
                        "{\"kind\":\"APOLOGY\",\"text\":\"Dear Ada,\\n\\tsorry.\\r\\n\"}")
                .statusCode(201)
                .body("text", is("Dear Ada,\n\tsorry."));
        before = DbSnapshot.take(dataSource);
    }

    @Test
    void timesOutsideYears1To9999AreRefused() {
        for (String time : new String[] {"+10000-01-01T00:00:00Z", "0000-12-31T23:00:00Z", "-0001-01-01T00:00:00Z"}) {
            invalidField(
                    Api.post(
                            "/complaints/" + openCase + "/interactions",
                            "{\"kind\":\"EXPECTATION_SET\",\"text\":\"call back\",\"dueAt\":\"" + time + "\"}"),
                    "dueAt");
        }
    }
}
