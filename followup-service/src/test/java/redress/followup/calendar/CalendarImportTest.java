package redress.followup.calendar;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Against the real database: the V4 corrections as the service reads them (the Anzac Day order,
 * the bank-business-day calendars, their recomputation at start-up), the UK bank holidays JSON
 * import, recurrences through the iCalendar import, and a region that includes another.
 */
@QuarkusTest
class CalendarImportTest {

    static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    static final String SAMPLE = UkBankHolidaysTest.sample();

    @Inject
    Calendars calendars;

    @Inject
    CalendarChangedRecorder recorder;

    @Inject
    EntityManager em;

    static Instant sydney(String local) {
        return ZonedDateTime.of(LocalDateTime.parse(local), SYDNEY).toInstant();
    }

    String newCalendar() {
        String name = CalendarResourceTest.name();
        given().contentType(ContentType.JSON)
                .body(CalendarResourceTest.HOURS)
                .put("/calendars/" + name)
                .then()
                .statusCode(201);
        return name;
    }

    long count(String sql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = em.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            return ((Number) q.getSingleResult()).longValue();
        });
    }

    void execute(String sql, Object... params) {
        QuarkusTransaction.requiringNew().run(() -> {
            var q = em.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            q.executeUpdate();
        });
    }

    /** Imports the {@code division} of a UK bank holidays file into the calendar {@code name}. */
    static ValidatableResponse importDivision(String name, String json, String division) {
        return given().contentType(ContentType.JSON)
                .body(json)
                .queryParam("division", division)
                .post("/calendars/" + name + "/holidays")
                .then();
    }

    // --- V4 as the service reads it ---

    @Test
    @TestSecurity(user = "ana", roles = "agent")
    void theAnzacDayOrderIsInTheSeededCalendar() {
        given().get("/calendars/AU-NSW")
                .then()
                .statusCode(200)
                .body("holidays.find { it.date == '2026-04-27' }.name", is("Anzac Day (additional day)"))
                .body("holidays.find { it.date == '2026-04-27' }.region", is("AU-NSW"))
                .body("holidays.date", hasItems("2026-04-25", "2027-04-25", "2027-04-26"))
                .body("includes", empty());
        // Issue 27's worked example, on the calendar the service builds from the database.
        BusinessCalendar nsw = calendars.get("AU-NSW");
        assertEquals(sydney("2026-04-28T10:00"), nsw.plusBusinessTime(sydney("2026-04-24T10:00"), Duration.ofHours(8)));
    }

    @Test
    @TestSecurity(user = "ana", roles = "agent")
    void theBankBusinessDayCalendars() {
        given().get("/calendars/AU-NSW-BANK")
                .then()
                .statusCode(200)
                .body("zone", is("Australia/Sydney"))
                .body("region", is("AU-NSW-BANK"))
                .body("includes", is(List.of("AU-NSW")))
                .body("hours.MONDAY.open", is("09:00"))
                .body("holidays.find { it.date == '2026-08-03' }.region", is("AU-NSW-BANK"))
                .body("holidays.find { it.date == '2026-08-03' }.name", is("Bank Holiday"))
                .body("holidays.find { it.date == '2026-04-27' }.region", is("AU-NSW"));
        BusinessCalendar bank = calendars.get("AU-NSW-BANK");
        assertFalse(bank.isBusinessDay(LocalDate.of(2026, 8, 3)));
        assertFalse(bank.isBusinessDay(LocalDate.of(2026, 4, 27)));
        assertFalse(bank.isBusinessDay(LocalDate.of(2026, 12, 28)));
        assertTrue(calendars.get("AU-NSW").isBusinessDay(LocalDate.of(2026, 8, 3)));
        assertEquals(
                Seeds.calendar("AU-NSW-BANK").holidays(),
                bank.holidays(),
                "the database says what the migrations' text says");

        given().get("/calendars/US-FED")
                .then()
                .statusCode(200)
                .body("zone", is("America/New_York"))
                .body("holidays.date", hasItems("2026-07-04", "2027-07-05"))
                .body("holidays.date", not(hasItem("2026-07-03")));
        assertTrue(calendars.get("US-FED").isBusinessDay(LocalDate.of(2026, 7, 3)));
        assertFalse(calendars.get("US").isBusinessDay(LocalDate.of(2026, 7, 3)));
        assertEquals(
                Seeds.calendar("US-FED").holidays(), calendars.get("US-FED").holidays());
    }

    @Test
    void theMigrationsHolidayChangesWereAppliedAtStartUp() {
        assertEquals(0, count("SELECT count(*) FROM holiday_change_pending"));
        for (String c : List.of("AU-NSW", "AU-NSW-BANK", "US-FED")) {
            assertTrue(
                    recorder.of(c).stream().anyMatch(CalendarChangedRecorder.Seen::inTransaction),
                    c + ": " + recorder.of(c));
        }
    }

    // --- UK bank holidays JSON ---

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void theUkBankHolidaysFileIsImportedOneDivisionAtATime() {
        String name = newCalendar();
        int events = recorder.of(name).size();
        importDivision(name, SAMPLE, "england-and-wales")
                .statusCode(200)
                .body("calendar", is(name))
                .body("region", is(name))
                .body("added", is(16))
                .body("alreadyPresent", is(0));
        assertEquals(events + 1, recorder.of(name).size());
        given().get("/calendars/" + name)
                .then()
                .body("holidays.find { it.date == '2026-12-28' }.name", is("Boxing Day (substitute day)"))
                .body("holidays.find { it.date == '2026-01-01' }.name", is("New Year\u2019s Day"));
        assertFalse(calendars.get(name).isBusinessDay(LocalDate.of(2026, 12, 28)));
        assertEquals(
                Seeds.calendar("GB-EAW").holidays(),
                calendars.get(name).holidays(),
                "the same days as the seeded GB-EAW");

        given().contentType("application/json; charset=UTF-8")
                .body(SAMPLE)
                .queryParam("division", "england-and-wales")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(200)
                .body("added", is(0))
                .body("alreadyPresent", is(16));
        assertEquals(events + 1, recorder.of(name).size(), "nothing changed, nothing fired");
        // Scotland adds its own days: 2 January, the first Monday in August, St Andrew's Day...
        importDivision(name, SAMPLE, "scotland")
                .statusCode(200)
                .body("added", is(6))
                .body("alreadyPresent", is(12));
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void aBadBankHolidaysFileIs422NamingWhereAndAddsNothing() {
        String name = newCalendar();
        given().contentType(ContentType.JSON)
                .body(SAMPLE)
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", is("division"))
                .body("detail", containsString("several divisions"));
        importDivision(name, SAMPLE, "wales").statusCode(422).body("errors[0].field", is("division"));
        // A bad fifth event: the four before it are not added either.
        String broken = SAMPLE.replace("\"2026-05-25\"", "\"2026-05-32\"");
        importDivision(name, broken, "england-and-wales")
                .statusCode(422)
                .body("errors[0].field", is("england-and-wales.events[4].date"))
                .body("detail", containsString("not a date"));
        given().contentType(ContentType.JSON)
                .body("{\"england-and-wales\":")
                .queryParam("division", "england-and-wales")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(422)
                .body("errors[0].field", containsString("line 1, column"));
        given().get("/calendars/" + name).then().body("holidays", empty());
        // until is for recurrences, division for the JSON.
        given().contentType(ContentType.JSON)
                .body(SAMPLE)
                .queryParam("division", "scotland")
                .queryParam("until", "2030-01-01")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("until"));
        given().contentType("text/calendar")
                .body("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
                .queryParam("division", "scotland")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("division"));
        given().contentType(ContentType.JSON)
                .body(SAMPLE)
                .queryParam("division", "scotland")
                .post("/calendars/NOWHERE/holidays")
                .then()
                .statusCode(404);
        given().contentType("application/octet-stream")
                .body(SAMPLE.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(415);
    }

    @Test
    @TestSecurity(
            user = "ana",
            roles = {"agent", "supervisor", "auditor", "operator"})
    void onlyRulesAdminImportsJson() {
        given().contentType(ContentType.JSON)
                .body(SAMPLE)
                .queryParam("division", "england-and-wales")
                .post("/calendars/GB-EAW/holidays")
                .then()
                .statusCode(403);
    }

    // --- iCalendar recurrences through the API ---

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void recurrencesAreExpandedThroughUntil() {
        String name = newCalendar();
        String ics = String.join(
                "\r\n",
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "BEGIN:VEVENT",
                "DTSTART;VALUE=DATE:20260504",
                "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=1MO",
                "SUMMARY:Early May bank holiday",
                "END:VEVENT",
                "END:VCALENDAR",
                "");
        given().contentType("text/calendar")
                .body(ics)
                .queryParam("until", "2028-12-31")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(200)
                .body("added", is(3));
        given().get("/calendars/" + name)
                .then()
                .body("holidays.date", is(List.of("2026-05-04", "2027-05-03", "2028-05-01")));
        // Without until: through ten years after DTSTART, 4 May 2036 (the first Monday of May 2036 is the 5th):
        // 2026 to 2035, ten Mondays, three already there.
        given().contentType("text/calendar")
                .body(ics)
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(200)
                .body("added", is(7))
                .body("alreadyPresent", is(3));
        given().contentType("text/calendar")
                .body(ics)
                .queryParam("until", "next year")
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("until"));
        given().contentType("text/calendar")
                .body(ics.replace("BYDAY=1MO", "BYDAY=1XX"))
                .post("/calendars/" + name + "/holidays")
                .then()
                .statusCode(422)
                .body("errors[0].field", is("line 5"))
                .body("detail", containsString("RRULE"));
    }

    // --- a region that includes another ---

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void aHolidayOfAnIncludedRegionClosesTheIncludingCalendarsAndIsChangedOnlyThere() {
        String parent = newCalendar();
        String child = newCalendar();
        execute("INSERT INTO holiday_region_include (region, includes) VALUES (?1, ?2)", child, parent);
        int p = recorder.of(parent).size();
        int c = recorder.of(child).size();
        LocalDate day = LocalDate.of(2027, 3, 1);
        String ics = String.join(
                "\r\n",
                "BEGIN:VCALENDAR",
                "BEGIN:VEVENT",
                "DTSTART;VALUE=DATE:20270301",
                "SUMMARY:Parent's day",
                "END:VEVENT",
                "END:VCALENDAR",
                "");
        given().contentType("text/calendar")
                .body(ics)
                .post("/calendars/" + parent + "/holidays")
                .then()
                .statusCode(200)
                .body("added", is(1));
        assertEquals(p + 1, recorder.of(parent).size());
        assertEquals(c + 1, recorder.of(child).size(), "the including calendar changed too");
        assertTrue(recorder.of(child).get(c).inTransaction());
        assertFalse(calendars.get(child).isBusinessDay(day));
        given().get("/calendars/" + child)
                .then()
                .body("includes", is(List.of(parent)))
                .body("holidays.find { it.date == '2027-03-01' }.region", is(parent));

        given().delete("/calendars/" + child + "/holidays/2027-03-01")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(parent));
        assertFalse(calendars.get(child).isBusinessDay(day));
        given().delete("/calendars/" + parent + "/holidays/2027-03-01").then().statusCode(204);
        assertEquals(c + 2, recorder.of(child).size());
        assertTrue(calendars.get(child).isBusinessDay(day));

        // A change a migration leaves pending is applied like one through the API, once; the child,
        // pending itself and through its parent, changes once.
        String revisionOf = "SELECT revision FROM calendar WHERE name = ?1";
        long revision = count(revisionOf, child);
        execute("INSERT INTO holiday_change_pending (region) VALUES (?1), (?2)", parent, child);
        List<String> applied = calendars.applyPendingChanges();
        assertEquals(java.util.Set.of(parent, child), java.util.Set.copyOf(applied));
        assertEquals(p + 3, recorder.of(parent).size());
        assertEquals(c + 3, recorder.of(child).size());
        assertTrue(count(revisionOf, child) > revision, "a new revision: other replicas' caches are refreshed");
        assertEquals(0, count("SELECT count(*) FROM holiday_change_pending WHERE region IN (?1, ?2)", parent, child));
        assertEquals(List.of(), calendars.applyPendingChanges());
    }
}
