package redress.followup.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The reader of the UK government's bank holidays JSON, on a sample in the published format
 * (2026 and 2027, the three divisions), and on bad input named by where it is wrong.
 */
class UkBankHolidaysTest {

    static final String SAMPLE = "/redress/followup/calendar/uk-bank-holidays-2026-2027.json";

    static String sample() {
        try (InputStream in = UkBankHolidaysTest.class.getResourceAsStream(SAMPLE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<LocalDate, String> byDay(List<Calendars.NewHoliday> h) {
        return h.stream().collect(Collectors.toMap(Calendars.NewHoliday::day, Calendars.NewHoliday::name));
    }

    @Test
    void englandAndWalesIsWhatTheRulesAndTheSeedSay() {
        Map<LocalDate, String> eaw = byDay(UkBankHolidays.parse(sample(), "england-and-wales"));
        Set<LocalDate> rules = new TreeSet<>(HolidayRules.gbEaw(2026));
        rules.addAll(HolidayRules.gbEaw(2027));
        assertEquals(rules, new TreeSet<>(eaw.keySet()));
        assertEquals(
                Seeds.holidays().get("GB-EAW").keySet(),
                new TreeSet<>(eaw.keySet()),
                "the V2 seed matches the publication");
        assertEquals("New Year\u2019s Day", eaw.get(LocalDate.of(2026, 1, 1)));
        assertEquals(
                "Boxing Day (substitute day)",
                eaw.get(LocalDate.of(2026, 12, 28)),
                "the notes in brackets, as the seed names it");
        assertEquals("Christmas Day (substitute day)", eaw.get(LocalDate.of(2027, 12, 27)));
        assertEquals("Good Friday", eaw.get(LocalDate.of(2026, 4, 3)));
    }

    @Test
    void scotlandAndNorthernIrelandHaveTheirOwnDays() {
        Map<LocalDate, String> sco = byDay(UkBankHolidays.parse(sample(), "scotland"));
        assertEquals(18, sco.size());
        assertEquals("2nd January (substitute day)", sco.get(LocalDate.of(2027, 1, 4)), "2 January 2027 is a Saturday");
        assertEquals(
                "Summer bank holiday", sco.get(LocalDate.of(2026, 8, 3)), "the first Monday in August in Scotland");
        assertEquals("St Andrew\u2019s Day", sco.get(LocalDate.of(2026, 11, 30)));
        assertTrue(!sco.containsKey(LocalDate.of(2026, 4, 6)), "no Easter Monday in Scotland");
        Map<LocalDate, String> ni = byDay(UkBankHolidays.parse(sample(), " northern-ireland "));
        assertEquals(20, ni.size());
        assertEquals(
                "Battle of the Boyne (Orangemen\u2019s Day) (substitute day)",
                ni.get(LocalDate.of(2026, 7, 13)),
                "12 July 2026 is a Sunday");
        assertEquals("St Patrick\u2019s Day", ni.get(LocalDate.of(2027, 3, 17)));
    }

    @Test
    void aFileWithOneDivisionNeedsNoDivisionNamed() {
        String one =
                "{\"scotland\":{\"division\":\"scotland\",\"events\":[{\"title\":\"St Andrew\u2019s Day\",\"date\":\"2026-11-30\","
                        + "\"notes\":\"\",\"bunting\":true}]}}";
        assertEquals(
                List.of(new Calendars.NewHoliday(LocalDate.of(2026, 11, 30), "St Andrew\u2019s Day")),
                UkBankHolidays.parse(one, null));
        assertEquals(
                List.of(),
                UkBankHolidays.parse("{\"scotland\":{\"events\":[]}}", ""),
                "no events, no holidays; division optional");
        // Unknown fields are ignored; notes may be absent or null.
        assertEquals(
                List.of(new Calendars.NewHoliday(LocalDate.of(2026, 5, 4), "Early May")),
                UkBankHolidays.parse(
                        "{\"x\":{\"events\":[{\"title\":\" Early May \",\"date\":\"2026-05-04\",\"notes\":null,\"colour\":\"red\"}],\"title\":\"X\"}}",
                        null));
    }

    @Test
    void theDivisionMustBeNamedWhenThereAreSeveralAndMustExist() {
        assertInvalid("division", sample(), null, "several divisions");
        assertInvalid("division", sample(), "wales", "no division wales");
    }

    @Test
    void badShapesAreNamedByWhereTheyAre() {
        String ok = "{\"title\":\"A\",\"date\":\"2026-01-01\"}";
        assertInvalid("line 1, column 15", "{\"scotland\": [", "scotland", "not JSON");
        assertInvalid("line 2, column 1", "{\"a\":{\"events\":[]}}\n}", "a", "");
        assertInvalid("body", "", null, "empty");
        assertInvalid("body", "[]", null, "a list");
        assertInvalid("body", "{}", null, "no divisions");
        assertInvalid("a", "{\"a\":[]}", "a", "an object");
        assertInvalid("a.events", "{\"a\":{\"division\":\"a\"}}", "a", "required");
        assertInvalid("a.events", "{\"a\":{\"events\":{}}}", "a", "must be a list");
        assertInvalid("a.division", "{\"a\":{\"division\":\"b\",\"events\":[]}}", "a", "not a");
        assertInvalid("a.events[1]", "{\"a\":{\"events\":[" + ok + ",\"2026-01-02\"]}}", "a", "an object");
        assertInvalid("a.events[0].date", "{\"a\":{\"events\":[{\"title\":\"A\"}]}}", "a", "required");
        assertInvalid(
                "a.events[0].date",
                "{\"a\":{\"events\":[{\"title\":\"A\",\"date\":\"01/01/2026\"}]}}",
                "a",
                "YYYY-MM-DD");
        assertInvalid(
                "a.events[0].date",
                "{\"a\":{\"events\":[{\"title\":\"A\",\"date\":\"2026-02-30\"}]}}",
                "a",
                "not a date");
        assertInvalid(
                "a.events[0].date", "{\"a\":{\"events\":[{\"title\":\"A\",\"date\":20260101}]}}", "a", "YYYY-MM-DD");
        assertInvalid(
                "a.events[0].date",
                "{\"a\":{\"events\":[{\"title\":\"A\",\"date\":\"1899-12-31\"}]}}",
                "a",
                "out of range");
        assertInvalid("a.events[0].title", "{\"a\":{\"events\":[{\"date\":\"2026-01-01\"}]}}", "a", "required");
        assertInvalid(
                "a.events[0].title", "{\"a\":{\"events\":[{\"title\":\" \",\"date\":\"2026-01-01\"}]}}", "a", "blank");
        assertInvalid("a.events[0].title", "{\"a\":{\"events\":[{\"title\":7,\"date\":\"2026-01-01\"}]}}", "a", "text");
        assertInvalid(
                "a.events[0].title",
                "{\"a\":{\"events\":[{\"title\":\"A\\u0007\",\"date\":\"2026-01-01\"}]}}",
                "a",
                "control");
        assertInvalid(
                "a.events[0].notes",
                "{\"a\":{\"events\":[{\"title\":\"A\",\"date\":\"2026-01-01\",\"notes\":\"" + "n".repeat(200)
                        + "\"}]}}",
                "a",
                "longer than 200");
        assertInvalid(
                "a.events[0].notes",
                "{\"a\":{\"events\":[{\"title\":\"A\",\"date\":\"2026-01-01\",\"notes\":[]}]}}",
                "a",
                "text");
        // The same division twice is ambiguous: refused, not the last one taken.
        assertInvalid("line 1, column 23", "{\"a\":{\"events\":[]},\"a\":{\"events\":[]}}", "a", "Duplicate");
    }

    private static void assertInvalid(String field, String text, String division, String says) {
        UkBankHolidays.Invalid e =
                assertThrows(UkBankHolidays.Invalid.class, () -> UkBankHolidays.parse(text, division));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(says), e.getMessage());
    }
}
