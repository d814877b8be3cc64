package redress.followup.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import redress.events.RegulatoryProfiles;
import redress.support.problem.ProblemException;

/**
 * Profiles over REST against the real database: every name intake accepts is installed, every
 * change is a new version with the old ones readable, a bad definition is 422 and changes
 * nothing, only rules-admin changes. Test profiles have their own names.
 */
@QuarkusTest
class ProfileResourceTest {

    @Inject
    Profiles profiles;

    static String name() {
        return "TEST_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    static String definition(String calendar, String warnAt, String metBy, String clock) {
        return """
                {"calendar":"%s","deadlines":[
                  {"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_DAY_CLOSE","days":1},"pausable":false,"warnAt":[0.5],"breachable":true,"metBy":"ACKNOWLEDGED"},
                  {"kind":"FINAL_RESPONSE","clock":%s,"pausable":true,"warnAt":%s,"breachable":true,"metBy":"%s"}],
                 "followup":{"delay":"PT16H","window":"PT40H"}}""".formatted(calendar, clock, warnAt, metBy);
    }

    static final String P8W = "{\"type\":\"CALENDAR_PERIOD\",\"period\":\"P8W\",\"endOfDay\":true}";

    @Test
    @TestSecurity(user = "ana", roles = "agent")
    void everyProfileIntakeAcceptsIsInstalledWithItsCalendar() {
        for (String name : RegulatoryProfiles.ALL) {
            assertEquals(name, profiles.current(name).name());
        }
        given().get("/profiles")
                .then()
                .statusCode(200)
                .body("items.name", hasItems(RegulatoryProfiles.ALL.toArray(String[]::new)))
                .body("items.name", hasItems("DEMO", "AU_ASIC_RG271_SUPER"))
                .body("items.find { it.name == 'UK_FCA_DISP' }.calendar.name", is("GB-EAW"))
                .body("items.find { it.name == 'UK_FCA_DISP' }.calendar.zone", is("Europe/London"))
                .body("items.find { it.name == 'US_CFPB' }.calendar.zone", is("America/New_York"))
                .body("items.find { it.name == 'DEMO' }.definition.calendar", is("ALWAYS"));
        given().get("/profiles/UK_FCA_DISP")
                .then()
                .statusCode(200)
                .body("version", is(4))
                .body("savedBy", is("migration"))
                .body("definition.progressUpdate.everyWorkingDays", is(5))
                // DISP 1.5.1R: resolved in the window, the complaint is out of DISP 1.6, its acknowledgement included.
                .body(
                        "definition.deadlines.find { it.kind == 'SUMMARY_RESOLUTION' }.discharges",
                        contains("ACKNOWLEDGEMENT", "FINAL_RESPONSE"))
                .body("definition.deadlines.kind", contains("ACKNOWLEDGEMENT", "SUMMARY_RESOLUTION", "FINAL_RESPONSE"))
                .body("definition.deadlines.find { it.kind == 'SUMMARY_RESOLUTION' }.breachable", is(false))
                .body("definition.deadlines.find { it.kind == 'FINAL_RESPONSE' }.clock.period", is("P8W"))
                .body(
                        "definition.deadlines.find { it.kind == 'FINAL_RESPONSE' }.metBy",
                        contains("FINAL_RESPONSE", "HOLDING_RESPONSE"))
                .body("definition.deadlines.find { it.kind == 'FINAL_RESPONSE' }.onReopen", is("FROM_RECEIPT"));
        // Version 1 stays readable (cases received under it keep it): its metBy, a single string when stored, reads as
        // a list.
        given().get("/profiles/UK_FCA_DISP/versions")
                .then()
                .statusCode(200)
                .body("items.version", contains(1, 2, 3, 4))
                .body("items[0].definition.deadlines.find { it.kind == 'FINAL_RESPONSE' }.metBy", contains("RESOLVED"))
                .body("items[1].definition.progressUpdate", is((Object) null))
                .body(
                        "items[2].definition.deadlines.find { it.kind == 'SUMMARY_RESOLUTION' }.discharges",
                        contains("FINAL_RESPONSE"));
        given().get("/profiles/UK_FCA_DISP_PSD")
                .then()
                .statusCode(200)
                .body("version", is(3))
                .body("definition.deadlines.find { it.kind == 'FINAL_RESPONSE' }.extendedBy.clock.days", is(35))
                .body(
                        "definition.deadlines.find { it.kind == 'SUMMARY_RESOLUTION' }.discharges",
                        contains("ACKNOWLEDGEMENT", "FINAL_RESPONSE"));
        given().get("/profiles/NOPE").then().statusCode(404).contentType("application/problem+json");
        given().get("/profiles/NOPE/versions").then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void everyChangeIsANewVersionAndOldOnesStayReadable() {
        String name = name();
        putProfile(name, definition("GB-EAW", "[0.5,0.8]", "RESOLVED", P8W))
                .statusCode(201)
                .header("Location", containsString("/profiles/" + name))
                .body("version", is(1))
                .body("savedBy", is("rae"))
                .body("calendar.zone", is("Europe/London"));
        putProfile(
                        name,
                        definition(
                                "US",
                                "[0.25,0.5,0.75]",
                                "FIRST_OUTBOUND",
                                "{\"type\":\"BUSINESS_HOURS\",\"amount\":\"PT16H\"}"))
                .statusCode(200)
                .body("version", is(2))
                .body("calendar.name", is("US"))
                .body("definition.deadlines[1].clock.amount", is("PT16H"));
        given().get("/profiles/" + name + "/versions")
                .then()
                .statusCode(200)
                .body("items.version", contains(1, 2))
                .body("items[0].definition.calendar", is("GB-EAW"));

        ProfileVersion v1 = profiles.version(name, 1);
        ProfileVersion v2 = profiles.current(name);
        assertEquals(2, v2.version());
        assertEquals("GB-EAW", v1.definition().calendar());
        assertEquals(
                ClockSpec.Type.CALENDAR_PERIOD,
                v1.definition().deadlines().get(1).clock().type());
        assertEquals(
                List.of(0.25, 0.5, 0.75), v2.definition().deadlines().get(1).warnAt());
        assertEquals(
                new ProfileDefinition.FollowupSpec("PT16H", "PT40H"),
                v2.definition().followup());
        assertEquals(
                404,
                org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class, () -> profiles.version(name, 3))
                        .problem()
                        .status());
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void aBadDefinitionIs422NamingItsFieldsAndChangesNothing() {
        String name = name();
        putProfile(name, definition("GB-EAW", "[0.5]", "RESOLVED", P8W)).statusCode(201);
        put(name, definition("MARS", "[0.5]", "RESOLVED", P8W), "calendar");
        put(name, definition("GB-EAW", "[0.8,0.5]", "RESOLVED", P8W), "deadlines[1].warnAt");
        put(name, definition("GB-EAW", "[1.5]", "RESOLVED", P8W), "deadlines[1].warnAt");
        put(name, definition("GB-EAW", "[0.5]", "CLOSED", P8W), "deadlines[1].metBy");
        put(
                name,
                definition("GB-EAW", "[0.5]", "CLOSED", P8W)
                        .replace("\"metBy\":\"CLOSED\"", "\"metBy\":[\"FINAL_RESPONSE\",\"CLOSED\"]"),
                "deadlines[1].metBy");
        put(
                name,
                definition("GB-EAW", "[0.5]", "RESOLVED", P8W)
                        .replace("\"metBy\":\"RESOLVED\"}", "\"metBy\":\"RESOLVED\",\"onReopen\":\"SOMETIMES\"}"),
                "deadlines[1].onReopen");
        put(
                name,
                definition("GB-EAW", "[0.5]", "RESOLVED", "{\"type\":\"CALENDAR_PERIOD\",\"period\":\"8 weeks\"}"),
                "deadlines[1].clock");
        put(name, definition("GB-EAW", "[0.5]", "RESOLVED", "{\"type\":\"BUSINESS_DAY_CLOSE\"}"), "deadlines[1].clock");
        put(name, cadence("{\"everyWorkingDays\":0}"), "progressUpdate.everyWorkingDays");
        put(name, cadence("{\"everyWorkingDays\":41}"), "progressUpdate.everyWorkingDays");
        put(name, cadence("{\"everyWorkingDays\":5,\"every\":\"PT1H\"}"), "progressUpdate");
        put(name, cadence("{}"), "progressUpdate");
        put(name, cadence("{\"every\":\"PT0S\"}"), "progressUpdate.every");
        put(name, cadence("{\"every\":\"a week\"}"), "progressUpdate.every");
        put(name, cadence("{\"every\":\"PT321H\"}"), "progressUpdate.every");
        putProfile(name, definition("MARS", "[0.9,0.1]", "NEVER", P8W))
                .statusCode(422)
                .body("errors.field", hasItems("calendar", "deadlines[1].warnAt", "deadlines[1].metBy"));
        given().contentType(ContentType.JSON)
                .body(definition("GB-EAW", "[0.5]", "RESOLVED", P8W))
                .put("/profiles/bad name")
                .then()
                .statusCode(400);
        given().get("/profiles/" + name + "/versions").then().statusCode(200).body("items.version", contains(1));
    }

    /** A valid definition with the progress-update cadence {@code json}. */
    static String cadence(String json) {
        String d = definition("GB-EAW", "[0.5]", "RESOLVED", P8W);
        return d.substring(0, d.lastIndexOf('}')) + ",\"progressUpdate\":" + json + "}";
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void aCadenceIsSavedWithTheVersion() {
        String name = name();
        putProfile(name, cadence("{\"everyWorkingDays\":7}"))
                .statusCode(201)
                .body("definition.progressUpdate.everyWorkingDays", is(7));
        putProfile(name, cadence("{\"every\":\"PT45S\"}"))
                .statusCode(200)
                .body("definition.progressUpdate.every", is("PT45S"));
        putProfile(name, definition("GB-EAW", "[0.5]", "RESOLVED", P8W)).statusCode(200);
        assertEquals(7, profiles.version(name, 1).definition().progressUpdate().everyWorkingDays());
        assertEquals(null, profiles.version(name, 3).definition().progressUpdate(), "left out: no reminders");
    }

    private static ValidatableResponse putProfile(String name, String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .put("/profiles/" + name)
                .then();
    }

    private static void put(String name, String body, String field) {
        putProfile(name, body)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field))
                .body("detail", containsString(field));
    }

    @Test
    @TestSecurity(
            user = "ana",
            roles = {"agent", "supervisor", "auditor", "operator", "complaint-submitter"})
    void onlyRulesAdminChangesProfiles() {
        given().contentType(ContentType.JSON)
                .body(definition("GB-EAW", "[0.5]", "RESOLVED", P8W))
                .put("/profiles/DEFAULT")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().get("/profiles/DEFAULT").then().statusCode(200).body("version", is(2));
    }
}
