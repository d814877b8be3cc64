package redress.followup.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The iCalendar holiday reader: what it takes, what it ignores, and malformed input named by line. */
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
        assertEquals(3, h.size());
        assertEquals(new ICalendarHolidays.Holiday(LocalDate.of(2026, 12, 28), "Boxing Day (substitute day)", 10), h.get(0));
        assertEquals(LocalDate.of(2027, 1, 4), h.get(1).day());
        assertEquals("Company, away day", h.get(1).name());
        assertEquals(LocalDate.of(2027, 1, 5), h.get(2).day(), "the date as written, not converted");
        assertEquals("Holiday", h.get(2).name());
    }

    @Test
    void unfoldsContinuationLinesAndAcceptsBareNewlines() {
        List<ICalendarHolidays.Holiday> h = ICalendarHolidays.parse(String.join("\n",
                "BEGIN:VCALENDAR",
                "BEGIN:VEVENT",
                "DTSTART;VALUE=DA",
                " TE:20260703",
                "SUMMARY:Independence Day",
                "\t (observed)",
                "END:VEVENT",
                "END:VCALENDAR"));
        assertEquals(List.of(new ICalendarHolidays.Holiday(LocalDate.of(2026, 7, 3), "Independence Day (observed)", 2)), h);
    }

    @Test
    void anEmptyCalendarHasNoHolidays() {
        assertTrue(ICalendarHolidays.parse(ics("BEGIN:VCALENDAR", "VERSION:2.0", "END:VCALENDAR")).isEmpty());
    }

    @Test
    void malformedInputNamesItsLine() {
        assertLine(1, "", "begins with BEGIN:VCALENDAR");
        assertLine(1, "hello", "begins with BEGIN:VCALENDAR");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:2026-12-28", "END:VEVENT", "END:VCALENDAR"),
                "not a date");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:20261332", "END:VEVENT", "END:VCALENDAR"), "not a date");
        assertLine(2, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "SUMMARY:No date", "END:VEVENT", "END:VCALENDAR"), "without DTSTART");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "this is not a content line", "END:VEVENT", "END:VCALENDAR"),
                "not a content line");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "END:VTODO", "END:VCALENDAR"), "does not close");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261228"), "END:VCALENDAR missing");
        assertLine(3, ics("BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VCALENDAR"), "after END:VCALENDAR");
        assertLine(1, " folded first line", "nothing to continue");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=PERIOD:20261228", "END:VEVENT", "END:VCALENDAR"),
                "DATE or DATE-TIME");
        assertLine(4, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261228", "SUMMARY:" + "x".repeat(201),
                "END:VEVENT", "END:VCALENDAR"), "longer than 200");
        assertLine(3, ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:18991231", "END:VEVENT", "END:VCALENDAR"),
                "out of range");
    }

    private static void assertLine(int line, String text, String says) {
        ICalendarHolidays.Malformed e = assertThrows(ICalendarHolidays.Malformed.class, () -> ICalendarHolidays.parse(text));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.reason().contains(says), e.getMessage());
    }
}
