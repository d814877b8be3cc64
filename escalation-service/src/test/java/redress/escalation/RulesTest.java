package redress.escalation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import redress.testsupport.TestTokens;

/**
 * Rules over REST: every change a new version, old versions readable, an invalid condition refused
 * with 422 naming line and column. Test rules are disabled or match nothing, so the live rule set
 * the consumer tests rely on stays the default one.
 */
@QuarkusTest
class RulesTest {

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles))
                .contentType(ContentType.JSON);
    }

    /** {@code POST /rules} of {@code json} as the rules-admin rae. */
    static ValidatableResponse postRule(String json) {
        return as("rae", "rules-admin").body(json).post("/rules").then();
    }

    static String body(String id, String condition, String target, boolean enabled) {
        return """
                {"id":%s,"name":"Test rule","condition":%s,"target":"%s","position":500,"enabled":%s,"reason":"because"}""".formatted(id == null ? "null" : "\"" + id + "\"", quoted(condition), target, enabled);
    }

    static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Test
    void theDefaultRulesAreInstalledAndReadable() {
        as("ana", "agent")
                .get("/rules")
                .then()
                .statusCode(200)
                .body(
                        "items.id",
                        hasItems(
                                "critical-severity",
                                "conversation-ended-after-warning",
                                "solutions-rejected-twice",
                                "promise-missed",
                                "assistance-requested",
                                "tone-rising",
                                "dissatisfied-followup",
                                "second-reopening"))
                .body("items.find { it.id == 'critical-severity' }.condition", is("severity == \"CRITICAL\""))
                .body("items.find { it.id == 'critical-severity' }.target", is("SUPERVISOR"))
                .body("items.find { it.id == 'critical-severity' }.version", is(1));
        as("ana", "auditor")
                .get("/rules/tone-rising/versions")
                .then()
                .statusCode(200)
                .body("items.version", contains(1, 2, 3))
                .body("items.action", contains("HAND_OVER", "WATCH", "WATCH"));
        as("ana", "agent")
                .get("/rules")
                .then()
                .body("items.find { it.id == 'tone-rising' }.action", is("WATCH"))
                .body("items.find { it.id == 'angry-repeat-complainant' }.action", is("WATCH"))
                .body("items.find { it.id == 'assistance-requested' }.action", is("HAND_OVER"))
                .body("items.find { it.id == 'deadline-breached' }.action", is("HAND_OVER"))
                .body("items.find { it.id == 'conversation-ended-after-warning' }.action", is("HAND_OVER"))
                .body(
                        "items.find { it.id == 'conversation-ended-after-warning' }.condition",
                        containsString("tone == \"THREATENING\""))
                .body("items.find { it.id == 'tone-rising' }.condition", containsString("tone == \"THREATENING\""))
                .body(
                        "items.find { it.id == 'angry-repeat-complainant' }.condition",
                        containsString("tone == \"THREATENING\""));
    }

    @Test
    void everyChangeIsANewVersionAndOldOnesStayReadable() {
        String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String category = "category == \"never-" + id + "\"";
        String location = postRule(body(id, category, "TEAM_LEAD", false))
                .statusCode(201)
                .body("id", is(id))
                .body("version", is(1))
                .body("savedBy", is("rae"))
                .body("enabled", is(false))
                .extract()
                .header("Location");
        org.hamcrest.MatcherAssert.assertThat(location, endsWith("/rules/" + id));
        postRule(body(id, category, "TEAM_LEAD", false)).statusCode(409).contentType("application/problem+json");

        as("rob", "rules-admin")
                .body(body(null, category + " && solutions_rejected > 3", "ONE_UP", false))
                .put("/rules/" + id)
                .then()
                .statusCode(200)
                .body("version", is(2))
                .body("target", is("ONE_UP"))
                .body("savedBy", is("rob"));
        as("ana", "agent")
                .get("/rules/" + id)
                .then()
                .statusCode(200)
                .body("version", is(2))
                .body("condition", containsString("solutions_rejected > 3"));
        as("ana", "supervisor")
                .get("/rules/" + id + "/versions")
                .then()
                .statusCode(200)
                .body("items.version", contains(1, 2))
                .body("items[0].target", is("TEAM_LEAD"))
                .body("items[1].target", is("ONE_UP"));

        as("rae", "rules-admin").delete("/rules/" + id).then().statusCode(204);
        as("ana", "agent").get("/rules/" + id).then().statusCode(404).contentType("application/problem+json");
        as("ana", "agent").get("/rules").then().body("items.id", not(hasItem(id)));
        as("ana", "agent")
                .get("/rules/" + id + "/versions")
                .then()
                .statusCode(200)
                .body("items.version", contains(1, 2, 3))
                .body("items[2].deleted", is(true))
                .body("items[1].deleted", is(false));
        as("rae", "rules-admin")
                .body(body(null, category, "TEAM_LEAD", false))
                .put("/rules/" + id)
                .then()
                .statusCode(404);
        as("rae", "rules-admin").delete("/rules/" + id).then().statusCode(404);
    }

    @Test
    void anInvalidConditionIs422NamingLineAndColumnAndChangesNothing() {
        String id = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        postRule(body(id, "severity == \"HIGH\" &&\n  sevrity == \"LOW\"", "TEAM_LEAD", false))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", startsWith("condition 2:3: "))
                .body("detail", containsString("sevrity"))
                .body("errors[0].field", is("condition"));
        postRule(body(id, "solutions_rejected", "TEAM_LEAD", false))
                .statusCode(422)
                .body("detail", startsWith("condition 1:1: "));
        postRule(body(id, "severity == 3", "TEAM_LEAD", false))
                .statusCode(422)
                .body("detail", startsWith("condition 1:10: "));
        as("ana", "agent").get("/rules/" + id).then().statusCode(404);
        as("ana", "agent").get("/rules/" + id + "/versions").then().statusCode(404);
        // A change to an existing rule with a bad condition leaves its versions as they were.
        as("rae", "rules-admin")
                .body(body(null, "level_rank >", "ONE_UP", false))
                .put("/rules/tone-rising")
                .then()
                .statusCode(422)
                .body("detail", startsWith("condition 1:"));
        as("ana", "agent").get("/rules/tone-rising/versions").then().body("items.version", contains(1, 2, 3));
    }

    @Test
    void aRulesActionIsVersionedWithItAndDefaultsToHandOver() {
        String id = "act-" + UUID.randomUUID().toString().substring(0, 8);
        String category = "category == \"never-" + id + "\"";
        postRule(body(id, category, "TEAM_LEAD", false)).statusCode(201).body("action", is("HAND_OVER"));
        String watch =
                body(null, category, "TEAM_LEAD", false).replace("\"reason\"", "\"action\":\"WATCH\",\"reason\"");
        as("rae", "rules-admin")
                .body(watch)
                .put("/rules/" + id)
                .then()
                .statusCode(200)
                .body("version", is(2))
                .body("action", is("WATCH"));
        as("ana", "agent")
                .get("/rules/" + id + "/versions")
                .then()
                .body("items.action", contains("HAND_OVER", "WATCH"));
        as("rae", "rules-admin").delete("/rules/" + id).then().statusCode(204);
        as("ana", "agent")
                .get("/rules/" + id + "/versions")
                .then()
                .body("items.action", contains("HAND_OVER", "WATCH", "WATCH"));
        // An action that is neither is 400 naming the field, and adds no version.
        String other = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        postRule(body(other, category, "TEAM_LEAD", false).replace("\"reason\"", "\"action\":\"TAKE\",\"reason\""))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(containsString("action")));
        as("ana", "agent").get("/rules/" + other).then().statusCode(404);
    }

    @Test
    void badRequestsAre400() {
        postRule("{").statusCode(400).contentType("application/problem+json");
        postRule(body("Bad Id", "severity == \"LOW\"", "TEAM_LEAD", false))
                .statusCode(400)
                .body("errors.field", hasItem(containsString("id")));
        postRule(body("x-" + UUID.randomUUID().toString().substring(0, 8), "severity == \"LOW\"", "AGENT", false))
                .statusCode(400);
        postRule(body(null, "severity == \"LOW\"", "TEAM_LEAD", false)).statusCode(400);
        as("rae", "rules-admin")
                .body(body("other-id", "severity == \"LOW\"", "TEAM_LEAD", false))
                .put("/rules/tone-rising")
                .then()
                .statusCode(400);
    }
}
