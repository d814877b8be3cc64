package redress.followup.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The iCalendar holiday reader: what it takes, what it ignores, recurrences expanded within their
 * window, and malformed input named by line.
 */
class ICalendarHolidaysTest {

    static String ics(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    @Test
    void readsAllDayEventsDateTimesAndSummaries() {
        List<ICalendarHolidays.Holiday> h = ICalendarHolidays.parse(ics(
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//Example//Holidays//EN",
                "BEGIN:VTIMEZONE",
                "TZID:Europe/London",
                "BEGIN:STANDARD",
                "DTSTART:19701025T020000",
                "END:STANDARD",
                "END:VTIMEZONE",
                "BEGIN:VEVENT",
                "UID:1@example",
                "DTSTART;VALUE=DATE:20261228",
                "DTEND;VALUE=DATE:20261229",
                "SUMMARY:Boxing Day (substitute day)",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "SUMMARY;LANGUAGE=en:Company\\, away day",
                "DTSTART;TZID=\"Europe/London\":20270104T090000",
                "RRULE:FREQ=YEARLY",
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                "DESCRIPTION:not a summary",
                "TRIGGER:-PT15M",
                "END:VALARM",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "DTSTART:20270105T230000Z",
                "END:VEVENT",
                "END:VCALENDAR"));
        // The second event recurs every year (RRULE:FREQ=YEARLY, no end): expanded through ten years after its DTSTART.
        assertEquals(1 + 11 + 1, h.size());
        assertEquals(
                new ICalendarHolidays.Holiday(LocalDate.of(2026, 12, 28), "Boxing Day (substitute day)", 10), h.get(0));
        for (int i = 0; i <= 10; i++) {
            assertEquals(
                    new ICalendarHolidays.Holiday(LocalDate.of(2027 + i, 1, 4), "Company, away day", 16), h.get(1 + i));
        }
        assertEquals(LocalDate.of(2027, 1, 5), h.get(12).day(), "the date as written, not converted");
        assertEquals("Holiday", h.get(12).name());
    }

    static List<LocalDate> days(List<ICalendarHolidays.Holiday> h) {
        return h.stream().map(ICalendarHolidays.Holiday::day).toList();
    }

    static String event(String... properties) {
        return inOneEvent(List.of("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT"), properties);
    }

    /** One event of {@code properties} in a calendar without a VERSION line. */
    static String bareEvent(String... properties) {
        return inOneEvent(List.of("BEGIN:VCALENDAR", "BEGIN:VEVENT"), properties);
    }

    private static String inOneEvent(List<String> head, String... properties) {
        List<String> lines = new java.util.ArrayList<>(head);
        lines.addAll(List.of(properties));
        lines.addAll(List.of("END:VEVENT", "END:VCALENDAR"));
        return ics(lines.toArray(String[]::new));
    }

    @Test
    void theUkEarlyMayBankHolidayIsTheFirstMondayInMay() {
        List<ICalendarHolidays.Holiday> h = ICalendarHolidays.parse(event(
                "DTSTART;VALUE=DATE:20260504",
                "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=1MO;COUNT=4",
                "SUMMARY:Early May bank holiday"));
        assertEquals(
                List.of(
                        LocalDate.of(2026, 5, 4),
                        LocalDate.of(2027, 5, 3),
                        LocalDate.of(2028, 5, 1),
                        LocalDate.of(2029, 5, 7)),
                days(h));
        h.forEach(x -> assertEquals(DayOfWeek.MONDAY, x.day().getDayOfWeek()));
        h.forEach(x -> assertEquals("Early May bank holiday", x.name()));
        // The same dates from the independent rule.
        for (LocalDate d : days(h)) {
            assertEquals(HolidayRules.nth(d.getYear(), 5, DayOfWeek.MONDAY, 1), d);
        }
    }

    @Test
    void aYearlyHolidayUntilADateAndWithAnExceptionDate() {
        // Christmas Day every year until 2029 (UNTIL as a UTC date-time: its date as written), except 2027.
        List<ICalendarHolidays.Holiday> h = ICalendarHolidays.parse(event(
                "DTSTART;VALUE=DATE:20261225",
                "RRULE:FREQ=YEARLY;UNTIL=20291225T000000Z",
                "EXDATE;VALUE=DATE:20271225",
                "SUMMARY:Christmas Day"));
        assertEquals(
                List.of(LocalDate.of(2026, 12, 25), LocalDate.of(2028, 12, 25), LocalDate.of(2029, 12, 25)), days(h));
        // EXDATE as a list, and as date-times; RDATE adds dates; lower-case rule parts are read.
        h = ICalendarHolidays.parse(event(
                "DTSTART:20260101T000000",
                "RRULE:freq=yearly;count=5",
                "EXDATE:20270101T000000,20290101T000000",
                "RDATE;VALUE=DATE:20260102,20280102",
                "SUMMARY:New Year"));
        assertEquals(
                List.of(
                        LocalDate.of(2026, 1, 1),
                        LocalDate.of(2026, 1, 2),
                        LocalDate.of(2028, 1, 1),
                        LocalDate.of(2028, 1, 2),
                        LocalDate.of(2030, 1, 1)),
                days(h));
        // An EXDATE may remove DTSTART itself.
        h = ICalendarHolidays.parse(
                event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;COUNT=2", "EXDATE;VALUE=DATE:20260101"));
        assertEquals(List.of(LocalDate.of(2027, 1, 1)), days(h));
    }

    @Test
    void monthlyAndWeeklyRulesWithByMonthDayAndByDay() {
        // The last Friday of each month, three times.
        assertEquals(
                List.of(LocalDate.of(2026, 1, 30), LocalDate.of(2026, 2, 27), LocalDate.of(2026, 3, 27)),
                days(ICalendarHolidays.parse(
                        event("DTSTART;VALUE=DATE:20260130", "RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"))));
        // The 15th of every month in the first quarter of 2027.
        assertEquals(
                List.of(LocalDate.of(2027, 1, 15), LocalDate.of(2027, 2, 15), LocalDate.of(2027, 3, 15)),
                days(ICalendarHolidays.parse(
                        event("DTSTART;VALUE=DATE:20270115", "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270331"))));
        // Every other Monday and Friday, from Monday 4 January 2027, five times.
        assertEquals(
                List.of(
                        LocalDate.of(2027, 1, 4),
                        LocalDate.of(2027, 1, 8),
                        LocalDate.of(2027, 1, 18),
                        LocalDate.of(2027, 1, 22),
                        LocalDate.of(2027, 2, 1)),
                days(ICalendarHolidays.parse(
                        event("DTSTART;VALUE=DATE:20270104", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=5"))));
        // A daily closure: 24 to 31 December 2026.
        assertEquals(
                8,
                ICalendarHolidays.parse(event("DTSTART;VALUE=DATE:20261224", "RRULE:FREQ=DAILY;UNTIL=20261231"))
                        .size());
    }

    @Test
    void anUnboundedRuleIsCutAtTheWindow() {
        String weekly = event("DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=WEEKLY");
        List<LocalDate> tenYears = days(ICalendarHolidays.parse(weekly));
        assertEquals(LocalDate.of(2026, 1, 5), tenYears.get(0));
        assertTrue(
                tenYears.get(tenYears.size() - 1).isAfter(LocalDate.of(2035, 12, 28)),
                tenYears.get(tenYears.size() - 1).toString());
        assertTrue(!tenYears.get(tenYears.size() - 1).isAfter(LocalDate.of(2036, 1, 5)));
        assertEquals(522, tenYears.size(), "every Monday from 5 January 2026 to 5 January 2036");
        // An explicit until bounds it instead, shorter or longer; COUNT still ends a rule earlier.
        assertEquals(
                List.of(LocalDate.of(2026, 1, 5), LocalDate.of(2026, 1, 12)),
                days(ICalendarHolidays.parse(weekly, LocalDate.of(2026, 1, 18))));
        assertEquals(
                21,
                ICalendarHolidays.parse(
                                event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY"), LocalDate.of(2046, 1, 1))
                        .size());
        assertEquals(
                3,
                ICalendarHolidays.parse(
                                event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;COUNT=3"),
                                LocalDate.of(2046, 1, 1))
                        .size());
        // The DTSTART is kept when until is before it; no recurrence is.
        assertEquals(
                List.of(LocalDate.of(2026, 1, 1)),
                days(ICalendarHolidays.parse(
                        event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY"), LocalDate.of(2025, 1, 1))));
        // Too many: a daily rule to 2200 is refused, naming the event's end.
        ICalendarHolidays.Malformed e = assertThrows(
                ICalendarHolidays.Malformed.class,
                () -> ICalendarHolidays.parse(
                        event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=DAILY"), LocalDate.of(2200, 1, 1)));
        assertEquals(6, e.line(), "the END:VEVENT of the event that went past the limit");
        assertTrue(e.reason().contains("more than 5000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ICalendarHolidays.parse(weekly, LocalDate.of(2201, 1, 1)));
    }

    @Test
    void unfoldsContinuationLinesAndAcceptsBareNewlines() {
        List<ICalendarHolidays.Holiday> h = ICalendarHolidays.parse(String.join(
                "\n",
                "BEGIN:VCALENDAR",
                "BEGIN:VEVENT",
                "DTSTART;VALUE=DA",
                " TE:20260703",
                "SUMMARY:Independence Day",
                "\t (observed)",
                "END:VEVENT",
                "END:VCALENDAR"));
        assertEquals(
                List.of(new ICalendarHolidays.Holiday(LocalDate.of(2026, 7, 3), "Independence Day (observed)", 2)), h);
    }

    @Test
    void anEmptyCalendarHasNoHolidays() {
        assertTrue(ICalendarHolidays.parse(ics("BEGIN:VCALENDAR", "VERSION:2.0", "END:VCALENDAR"))
                .isEmpty());
    }

    @Test
    void malformedInputNamesItsLine() {
        assertLine(1, "", "begins with BEGIN:VCALENDAR");
        assertLine(1, "hello", "begins with BEGIN:VCALENDAR");
        assertLine(3, bareEvent("DTSTART;VALUE=DATE:2026-12-28"), "not a date");
        assertLine(3, bareEvent("DTSTART:20261332"), "not a date");
        assertLine(2, bareEvent("SUMMARY:No date"), "without DTSTART");
        assertLine(3, bareEvent("this is not a content line"), "not a content line");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "END:VTODO", "END:VCALENDAR"), "does not close");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261228"), "END:VCALENDAR missing");
        assertLine(3, ics("BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VCALENDAR"), "after END:VCALENDAR");
        assertLine(1, " folded first line", "nothing to continue");
        assertLine(3, bareEvent("DTSTART;VALUE=PERIOD:20261228"), "DATE or DATE-TIME");
        assertLine(4, bareEvent("DTSTART;VALUE=DATE:20261228", "SUMMARY:" + "x".repeat(201)), "longer than 200");
        assertLine(3, bareEvent("DTSTART;VALUE=DATE:18991231"), "out of range");
    }

    @Test
    void malformedRecurrencesNameTheirLine() {
        assertLine(
                6, event("DTSTART;VALUE=DATE:20260101", "SUMMARY:x", "RRULE:FREQ=SOMETIMES"), "not a recurrence rule");
        assertLine(5, event("DTSTART;VALUE=DATE:20260101", "RRULE:BYMONTH=5"), "not a recurrence rule");
        assertLine(5, event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;BYMONTH=13"), "not a recurrence rule");
        assertLine(5, event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;BYFOO=1"), "not a recurrence rule");
        assertLine(5, event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;COUNT=many"), "not a recurrence rule");
        assertLine(5, event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=HOURLY;COUNT=3"), "by the day at most");
        assertLine(5, event("DTSTART;VALUE=DATE:20260101", "EXDATE;VALUE=DATE:2026-01-01"), "EXDATE");
        assertLine(
                5,
                event("DTSTART;VALUE=DATE:20260101", "RDATE;VALUE=PERIOD:20260101T000000Z/PT1H"),
                "DATE or DATE-TIME");
        assertLine(5, event("DTSTART;VALUE=DATE:20260101", "RDATE:20260230"), "not a date");
        // A rule, even a good one, does not stand for a missing DTSTART.
        assertLine(3, event("RRULE:FREQ=YEARLY"), "without DTSTART");
    }

    private static void assertLine(int line, String text, String says) {
        ICalendarHolidays.Malformed e =
                assertThrows(ICalendarHolidays.Malformed.class, () -> ICalendarHolidays.parse(text));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.reason().contains(says), e.getMessage());
    }
}
