package redress.followup.calendar;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * Calendars over REST against the real database: the seeded ones readable, changes by rules-admin
 * only, 422 on a bad zone, hours or iCalendar file, an imported holiday skipped by the business-day
 * arithmetic at once, and {@link CalendarChanged} fired inside the changing transaction. Test
 * calendars have their own names and regions: the seeded ones stay as they are.
 */
@QuarkusTest
class CalendarResourceTest {

    static final String HOURS = """
            {"zone":"Europe/London","hours":{"MONDAY":{"open":"09:00","close":"17:00"},"TUESDAY":{"open":"09:00","close":"17:00"},
             "WEDNESDAY":{"open":"09:00","close":"17:00"},"THURSDAY":{"open":"09:00","close":"17:00"},"FRIDAY":{"open":"09:00","close":"17:00"}}}""";

    @Inject
    Calendars calendars;

    @Inject
    CalendarChangedRecorder recorder;

    static String name() {
        return "TEST-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Instant london(String local) {
        return ZonedDateTime.of(LocalDateTime.parse(local), ZoneId.of("Europe/London"))
                .toInstant();
    }

    @Test
    @TestSecurity(user = "ana", roles = "agent")
    void theSeededCalendarsAreReadable() {
        given().get("/calendars")
                .then()
                .statusCode(200)
                .body("items.name", hasItems("GB-EAW", "US", "AU-NSW", "ALWAYS", "AU-NSW-BANK", "US-FED"))
                .body("items.find { it.name == 'US' }.zone", is("America/New_York"))
                .body("items.find { it.name == 'ALWAYS' }.hours.SUNDAY.close", is("24:00"))
                .body("items[0].holidays", nullValue());
        given().get("/calendars/GB-EAW")
                .then()
                .statusCode(200)
                .body("zone", is("Europe/London"))
                .body("region", is("GB-EAW"))
                .body("hours.MONDAY.open", is("09:00"))
                .body("hours.FRIDAY.close", is("17:00"))
                .body("hours.SATURDAY", nullValue())
                .body("holidays.find { it.date == '2026-12-28' }.name", is("Boxing Day (substitute day)"));
        given().get("/calendars/NOWHERE").then().statusCode(404).contentType("application/problem+json");
        assertTrue(calendars.find("NOWHERE").isEmpty());
        assertEquals(ZoneId.of("Australia/Sydney"), calendars.get("AU-NSW").zone());
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void aCalendarIsCreatedChangedAndEachChangeFiresCalendarChangedInItsTransaction() {
        String name = name();
        given().contentType(ContentType.JSON)
                .body(HOURS)
                .put("/calendars/" + name)
                .then()
                .statusCode(201)
                .header("Location", containsString("/calendars/" + name))
                .body("zone", is("Europe/London"))
                .body("region", is(name))
                .body("hours.MONDAY.close", is("17:00"));
        assertEquals(1, recorder.of(name).size());
        assertTrue(recorder.of(name).get(0).inTransaction());

        given().contentType(ContentType.JSON)
                .body(
                        "{\"zone\":\"America/New_York\",\"hours\":{\"saturday\":{\"open\":\"10:00\",\"close\":\"24:00\"}}}")
                .put("/calendars/" + name)
                .then()
                .statusCode(200)
                .body("zone", is("America/New_York"))
                .body("region", is(name))
                .body("hours.SATURDAY.close", is("24:00"))
                .body("hours.MONDAY", nullValue());
        assertEquals(2, recorder.of(name).size());
        BusinessCalendar c = calendars.get(name);
        assertEquals(ZoneId.of("America/New_York"), c.zone());
        assertTrue(c.isBusinessDay(LocalDate.of(2026, 3, 7)));
        assertTrue(!c.isBusinessDay(LocalDate.of(2026, 3, 9)));
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void aBadZoneOrBadHoursIs422AndChangesNothing() {
        String name = name();
        given().contentType(ContentType.JSON)
                .body(HOURS.replace("Europe/London", "Europe/Atlantis"))
                .put("/calendars/" + name)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("zone"))
                .body("detail", containsString("Europe/Atlantis"));
        given().contentType(ContentType.JSON)
                .body(
                        "{\"zone\":\"UTC\",\"hours\":{\"MONDAY\":{\"open\":\"17:00\",\"close\":\"09:00\"},"
                                + "\"FUNDAY\":{\"open\":\"09:00\",\"close\":\"10:00\"},\"TUESDAY\":{\"open\":\"9\",\"close\":\"25:00\"}}}")
                .put("/calendars/" + name)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("hours.MONDAY", "hours.FUNDAY", "hours.TUESDAY"));
        given().contentType(ContentType.JSON)
                .body("{\"zone\":\"UTC\",\"hours\":{}}")
                .put("/calendars/" + name)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("hours"));
        given().contentType(ContentType.JSON)
                .body("{\"hours\":{}}")
                .put("/calendars/" + name)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("zone", "hours"));
        given().get("/calendars/" + name).then().statusCode(404);
        assertEquals(0, recorder.of(name).size());
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void anImportedHolidayIsSkippedByTheBusinessDayArithmetic() {
        String name = name();
        given().contentType(ContentType.JSON)
                .body(HOURS)
                .put("/calendars/" + name)
                .then()
                .statusCode(201);
        Instant friday = london("2027-02-26T12:00");
        assertEquals(london("2027-03-01T17:00"), calendars.get(name).closeOfBusinessDay(friday, 1));

        String ics = String.join(
                "\r\n",
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "BEGIN:VEVENT",
                "DTSTART;VALUE=DATE:20270301",
                "SUMMARY:St David's Day (firm",
                " 's own)",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "DTSTART:20270302T000000",
                "SUMMARY:Second day",
                "END:VEVENT",
                "END:VCALENDAR",
                "");
        given().contentType("text/calendar")
                .body(ics)
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(200)
                .body("added", is(2))
                .body("alreadyPresent", is(0))
                .body("region", is(name));
        assertEquals(2, recorder.of(name).size());
        assertTrue(recorder.of(name).get(1).inTransaction());
        given().get("/calendars/" + name)
                .then()
                .statusCode(200)
                .body("holidays.date", hasItems("2027-03-01", "2027-03-02"))
                .body("holidays.find { it.date == '2027-03-01' }.name", is("St David's Day (firm's own)"));
        assertEquals(
                london("2027-03-03T17:00"),
                calendars.get(name).closeOfBusinessDay(friday, 1),
                "Monday and Tuesday are holidays now");

        given().contentType("text/calendar")
                .body(ics)
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(200)
                .body("added", is(0))
                .body("alreadyPresent", is(2));
        assertEquals(2, recorder.of(name).size(), "nothing changed, nothing fired");

        given().contentType("text/calendar")
                .body("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2027-03-04\r\n")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", is("line 3"))
                .body("detail", containsString("line 3"));
        given().get("/calendars/" + name).then().body("holidays.date", not(hasItem("2027-03-04")));

        given().delete("/calendars/" + name + "/holidays/2027-03-01").then().statusCode(204);
        assertEquals(3, recorder.of(name).size());
        assertEquals(london("2027-03-01T17:00"), calendars.get(name).closeOfBusinessDay(friday, 1));
        given().delete("/calendars/" + name + "/holidays/2027-03-01")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().delete("/calendars/" + name + "/holidays/tomorrow").then().statusCode(400);
        given().contentType("text/calendar")
                .body("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
                .post("/calendars/NOWHERE/holidays")
                .then()
                .statusCode(404);
        // JSON is the UK bank holidays format now (CalendarImportTest): {} is an empty one, refused; XML is no format
        // of ours.
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", is("body"));
        given().contentType(ContentType.XML)
                .body("<holidays/>")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        given().contentType("text/plain; charset=UTF-8")
                .body("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(200)
                .body("added", is(0));
    }

    @Test
    @TestSecurity(
            user = "ana",
            roles = {"agent", "supervisor", "auditor", "operator", "complaint-submitter"})
    void onlyRulesAdminChangesCalendars() {
        given().contentType(ContentType.JSON)
                .body(HOURS)
                .put("/calendars/GB-EAW")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().contentType("text/calendar")
                .body("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
                .post("/calendars/GB-EAW/holidays")
                .then()
                .statusCode(403);
        given().delete("/calendars/GB-EAW/holidays/2026-12-28").then().statusCode(403);
        given().get("/calendars/GB-EAW").then().statusCode(200).body("holidays.date", hasItem("2026-12-28"));
    }
}
