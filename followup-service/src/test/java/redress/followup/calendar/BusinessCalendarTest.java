package redress.followup.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Calendar arithmetic on worked examples, on the seeded calendars (V2 migration): holidays,
 * weekends, DST gaps and overlaps, and zones whose dates differ from UTC's.
 */
class BusinessCalendarTest {

    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");

    final BusinessCalendar uk = Seeds.calendar("GB-EAW");
    final BusinessCalendar us = Seeds.calendar("US");
    final BusinessCalendar nsw = Seeds.calendar("AU-NSW");
    final BusinessCalendar always = Seeds.calendar("ALWAYS");

    static Instant at(String localDateTime, ZoneId zone) {
        return ZonedDateTime.of(LocalDateTime.parse(localDateTime), zone).toInstant();
    }

    static Instant utc(String instant) {
        return Instant.parse(instant);
    }

    /** {@code hours} of business time from {@code from} on the GB-EAW calendar end at {@code end} (London times). */
    void assertUkBusinessHours(String from, int hours, String end, String why) {
        assertEquals(at(end, LONDON), uk.plusBusinessTime(at(from, LONDON), Duration.ofHours(hours)), why);
    }

    @Test
    void theSeededCalendarsAreWhatTheDocsSay() {
        assertEquals(LONDON, uk.zone());
        assertEquals(NEW_YORK, us.zone());
        assertEquals(SYDNEY, nsw.zone());
        assertEquals(ZoneId.of("UTC"), always.zone());
        for (BusinessCalendar c : new BusinessCalendar[] {uk, us, nsw}) {
            assertEquals(
                    Set.of(
                            DayOfWeek.MONDAY,
                            DayOfWeek.TUESDAY,
                            DayOfWeek.WEDNESDAY,
                            DayOfWeek.THURSDAY,
                            DayOfWeek.FRIDAY),
                    c.hours().keySet(),
                    c.name());
            c.hours().values().forEach(w -> assertEquals(BusinessCalendar.WorkingDay.parse("09:00", "17:00"), w));
        }
        assertEquals(7, always.hours().size());
        always.hours().values().forEach(w -> assertEquals(BusinessCalendar.WorkingDay.ALL_DAY, w));
        assertTrue(always.holidays().isEmpty());
    }

    // --- Boxing Day 2026 (UK) ---

    @Test
    void boxingDay2026IsObservedOnMonday28December() {
        assertEquals(DayOfWeek.FRIDAY, LocalDate.of(2026, 12, 25).getDayOfWeek());
        assertEquals(DayOfWeek.SATURDAY, LocalDate.of(2026, 12, 26).getDayOfWeek());
        assertFalse(uk.isBusinessDay(LocalDate.of(2026, 12, 25)));
        assertFalse(uk.isBusinessDay(LocalDate.of(2026, 12, 28)), "the substitute day");
        assertTrue(uk.isBusinessDay(LocalDate.of(2026, 12, 29)));
        // The next business day after Christmas Eve is Tuesday 29th: 25th, the weekend and the 28th are skipped.
        assertEquals(at("2026-12-29T17:00", LONDON), uk.closeOfBusinessDay(at("2026-12-24T15:00", LONDON), 1));
        assertEquals(utc("2026-12-29T17:00:00Z"), uk.closeOfBusinessDay(at("2026-12-24T15:00", LONDON), 1));
    }

    // --- 4 July 2026 (US) ---

    @Test
    void independenceDay2026IsObservedOnFriday3July() {
        assertEquals(DayOfWeek.SATURDAY, LocalDate.of(2026, 7, 4).getDayOfWeek());
        assertFalse(us.isBusinessDay(LocalDate.of(2026, 7, 3)));
        assertTrue(us.isBusinessDay(LocalDate.of(2026, 7, 2)));
        assertTrue(us.isBusinessDay(LocalDate.of(2026, 7, 6)));
        // Thursday noon + 8 business hours: 5 on Thursday, then Monday 09:00 + 3 (EDT, UTC-4).
        assertEquals(
                utc("2026-07-06T16:00:00Z"),
                us.plusBusinessTime(at("2026-07-02T12:00", NEW_YORK), Duration.ofHours(8)));
        assertEquals(at("2026-07-06T17:00", NEW_YORK), us.closeOfBusinessDay(at("2026-07-02T12:00", NEW_YORK), 1));
    }

    // --- New York DST: 02:30 on 8 March 2026 does not exist, 01:30 on 1 November 2026 happens twice ---

    @Test
    void newYork0230On8MarchDoesNotExistAndIsShiftedForward() {
        LocalDateTime gap = LocalDateTime.parse("2026-03-08T02:30");
        assertTrue(NEW_YORK.getRules().getValidOffsets(gap).isEmpty());
        // One calendar day after Saturday 02:30 EST is the nonexistent Sunday 02:30: shifted to 03:30 EDT.
        Instant due = us.plusPeriod(at("2026-03-07T02:30", NEW_YORK), Period.ofDays(1), false);
        assertEquals(utc("2026-03-08T07:30:00Z"), due);
        assertEquals(LocalTime.of(3, 30), due.atZone(NEW_YORK).toLocalTime());
        // A calendar day is 23 hours across the change: never Instant + 24h.
        Instant saturdayNine = at("2026-03-07T09:00", NEW_YORK);
        Instant sundayNine = us.plusPeriod(saturdayNine, Period.ofDays(1), false);
        assertEquals(utc("2026-03-08T13:00:00Z"), sundayNine);
        assertEquals(Duration.ofHours(23), Duration.between(saturdayNine, sundayNine));
        // Elapsed time is elapsed: 24 hours later is 10:00 on the wall.
        assertEquals(
                LocalTime.of(10, 0),
                us.plusDuration(saturdayNine, Duration.ofHours(24), false)
                        .atZone(NEW_YORK)
                        .toLocalTime());
        // A working day that opens inside the gap opens when the gap ends.
        BusinessCalendar night = new BusinessCalendar(
                "night",
                NEW_YORK,
                Map.of(DayOfWeek.SUNDAY, BusinessCalendar.WorkingDay.parse("02:30", "04:00")),
                Set.of());
        assertEquals(utc("2026-03-08T07:30:00Z"), night.opening(LocalDate.of(2026, 3, 8)));
        assertEquals(
                Duration.ofMinutes(30),
                night.businessTimeBetween(at("2026-03-08T00:00", NEW_YORK), at("2026-03-09T00:00", NEW_YORK)));
    }

    @Test
    void aDueTimeAtTheMidnightThatEndsTheLastKnownYearIsWithinIt() {
        // A calendar-day period "to the end of" 31 December is stored as 00:00 on 1 January: that
        // end belongs to 31 December, a known day, so the deadline is not shown provisional.
        BusinessCalendar known = new BusinessCalendar(
                "known",
                SYDNEY,
                Map.of(DayOfWeek.MONDAY, BusinessCalendar.WorkingDay.parse("09:00", "17:00")),
                Set.of(LocalDate.of(2027, 12, 27)));
        assertEquals(LocalDate.of(2027, 12, 31), known.holidaysKnownThrough().orElseThrow());
        assertFalse(known.beyondKnownHolidays(at("2028-01-01T00:00", SYDNEY)), "the end of 31 December");
        assertFalse(known.beyondKnownHolidays(at("2027-12-31T23:59", SYDNEY)));
        assertTrue(known.beyondKnownHolidays(at("2028-01-01T00:00:01", SYDNEY)), "a second into 1 January");
    }

    @Test
    void newYork0130On1NovemberHappensTwiceAndTheEarlierIsTaken() {
        LocalDateTime overlap = LocalDateTime.parse("2026-11-01T01:30");
        assertEquals(2, NEW_YORK.getRules().getValidOffsets(overlap).size());
        Instant due = us.plusPeriod(at("2026-10-31T01:30", NEW_YORK), Period.ofDays(1), false);
        assertEquals(utc("2026-11-01T05:30:00Z"), due, "01:30 EDT, the first of the two");
        // The day is 25 hours long: Saturday 09:00 EDT + 1 day = Sunday 09:00 EST.
        Instant saturdayNine = at("2026-10-31T09:00", NEW_YORK);
        assertEquals(
                Duration.ofHours(25),
                Duration.between(saturdayNine, us.plusPeriod(saturdayNine, Period.ofDays(1), false)));
        BusinessCalendar nyAlways = BusinessCalendar.always("ny", NEW_YORK);
        assertEquals(
                Duration.ofHours(25),
                nyAlways.businessTimeBetween(at("2026-11-01T00:00", NEW_YORK), at("2026-11-02T00:00", NEW_YORK)));
        assertEquals(
                Duration.ofHours(23),
                nyAlways.businessTimeBetween(at("2026-03-08T00:00", NEW_YORK), at("2026-03-09T00:00", NEW_YORK)));
    }

    // --- London and New York: 4 hours apart between 8 and 29 March 2026 ---

    @Test
    void londonAndNewYorkAreFourHoursApartBetween8And29March() {
        for (String day : new String[] {"2026-03-09", "2026-03-18", "2026-03-27"}) {
            Instant start = at(day + "T08:00", NEW_YORK);
            Duration gap = Duration.between(uk.closeOfBusinessDay(start, 0), us.closeOfBusinessDay(start, 0));
            assertEquals(Duration.ofHours(4), gap, day);
        }
        for (String day : new String[] {"2026-03-06", "2026-03-30"}) {
            Instant start = at(day + "T08:00", NEW_YORK);
            assertEquals(
                    Duration.ofHours(5),
                    Duration.between(uk.closeOfBusinessDay(start, 0), us.closeOfBusinessDay(start, 0)),
                    day);
        }
        // On 18 March New York closes at 21:00 UTC, which is 21:00 in London (still GMT).
        assertEquals(utc("2026-03-18T21:00:00Z"), us.closeOfBusinessDay(at("2026-03-18T10:00", NEW_YORK), 0));
        // Working hours overlap 13:00–17:00 London then: 4 hours of shared business time on 18 March.
        Instant usOpen = at("2026-03-18T09:00", NEW_YORK);
        assertEquals(Duration.ofHours(4), uk.businessTimeBetween(usOpen, at("2026-03-18T17:00", NEW_YORK)));
    }

    // --- Sydney: a 25-hour day on 5 April 2026; Friday 23:30Z is Saturday there ---

    @Test
    void sydneysFifthOfAprilHas25Hours() {
        Instant start = at("2026-04-05T00:00", SYDNEY);
        Instant end = nsw.plusPeriod(start, Period.ofDays(1), false);
        assertEquals(Duration.ofHours(25), Duration.between(start, end));
        assertEquals(
                end,
                nsw.plusPeriod(at("2026-04-04T12:00", SYDNEY), Period.ofDays(1), true),
                "end of day of the 5th is the start of the 6th");
        BusinessCalendar sydneyAlways = BusinessCalendar.always("syd", SYDNEY);
        assertEquals(Duration.ofHours(25), sydneyAlways.businessTimeBetween(start, end));
        // 24 elapsed hours from the start of the 5th end at 23:00 the same day.
        assertEquals(
                LocalDateTime.parse("2026-04-05T23:00"),
                LocalDateTime.ofInstant(nsw.plusDuration(start, Duration.ofHours(24), false), SYDNEY));
        // Easter Sunday and Monday are holidays anyway: the seeded calendar's next business day is Tuesday 7 April
        // (AEST, UTC+10).
        assertEquals(utc("2026-04-07T07:00:00Z"), nsw.closeOfBusinessDay(start, 0));
    }

    @Test
    void friday2330UtcIsSaturdayInSydney() {
        Instant friday = utc("2026-03-06T23:30:00Z");
        assertEquals(DayOfWeek.FRIDAY, friday.atZone(ZoneId.of("UTC")).getDayOfWeek());
        assertEquals(DayOfWeek.SATURDAY, friday.atZone(SYDNEY).getDayOfWeek());
        assertFalse(nsw.isBusinessDay(LocalDate.ofInstant(friday, SYDNEY)));
        assertTrue(uk.isBusinessDay(LocalDate.ofInstant(friday, LONDON)));
        // Nothing is worked in Sydney until Monday 09:00 AEDT (Sunday 22:00 UTC).
        assertEquals(
                utc("2026-03-08T22:00:00Z"),
                nsw.plusBusinessTime(friday, Duration.ofNanos(1)).minusNanos(1));
        assertEquals(utc("2026-03-09T06:00:00Z"), nsw.closeOfBusinessDay(friday, 0), "Monday 17:00 AEDT");
        assertEquals(
                utc("2026-03-09T06:00:00Z"),
                nsw.closeOfBusinessDay(friday, 1),
                "the first business day after Saturday is Monday");
        assertEquals(Duration.ZERO, nsw.businessTimeBetween(friday, utc("2026-03-08T22:00:00Z")));
    }

    // --- Anzac Day 2026 (NSW): a Saturday, and the Monday after is a public holiday by the 2026 order ---

    @Test
    void anAcknowledgementDueOverTheAnzacDayWeekend2026SkipsMonday27April() {
        // Issue 27's worked example: AU_ASIC_RG271's acknowledgement is 8 business hours on AU-NSW.
        // Received Friday 24 April 2026 10:00 AEST: 7 hours on Friday; Saturday (Anzac Day), Sunday and
        // Monday 27 April (the additional public holiday) are skipped; 1 hour on Tuesday: 10:00 AEST.
        assertFalse(nsw.isBusinessDay(LocalDate.of(2026, 4, 27)));
        assertTrue(nsw.isBusinessDay(LocalDate.of(2026, 4, 28)));
        assertEquals(
                at("2026-04-28T10:00", SYDNEY),
                nsw.plusBusinessTime(at("2026-04-24T10:00", SYDNEY), Duration.ofHours(8)));
        assertEquals(
                utc("2026-04-28T00:00:00Z"), nsw.plusBusinessTime(at("2026-04-24T10:00", SYDNEY), Duration.ofHours(8)));
        // And in 2027 Anzac Day is a Sunday: Monday 26 April is the holiday.
        assertFalse(nsw.isBusinessDay(LocalDate.of(2027, 4, 26)));
        assertEquals(at("2027-04-27T17:00", SYDNEY), nsw.closeOfBusinessDay(at("2027-04-23T12:00", SYDNEY), 1));
    }

    // --- Business hours across weekends and holidays ---

    @Test
    void businessHoursSkipNightsWeekendsAndHolidays() {
        assertUkBusinessHours(
                "2026-12-11T16:00", 2, "2026-12-14T10:00", "Friday 16:00 + 2h: one on Friday, one on Monday");
        assertUkBusinessHours(
                "2026-12-24T16:00",
                2,
                "2026-12-29T10:00",
                "Christmas Eve 16:00 + 2h: Christmas, the weekend and Boxing Day's substitute skipped");
        assertUkBusinessHours(
                "2026-12-14T09:00", 16, "2026-12-15T17:00", "ending exactly at a close is due at that close");
        assertUkBusinessHours("2026-12-14T07:00", 1, "2026-12-14T10:00", "before opening: counted from the opening");
        assertUkBusinessHours(
                "2026-12-14T18:00", 1, "2026-12-15T10:00", "after closing: counted from the next opening");
        assertEquals(
                at("2026-12-14T07:00", LONDON), uk.plusBusinessTime(at("2026-12-14T07:00", LONDON), Duration.ZERO));
        // Across US DST: Friday 16:00 EST + 2h = Monday 10:00 EDT.
        assertEquals(
                utc("2026-03-09T14:00:00Z"),
                us.plusBusinessTime(at("2026-03-06T16:00", NEW_YORK), Duration.ofHours(2)));
        // Seconds work: the demo calendar is elapsed time.
        Instant t = utc("2026-05-01T12:00:00Z");
        assertEquals(t.plusSeconds(20), always.plusBusinessTime(t, Duration.ofSeconds(20)));
        assertThrows(IllegalArgumentException.class, () -> uk.plusBusinessTime(t, Duration.ofHours(-1)));
    }

    @Test
    void businessTimeBetweenCountsWorkingTimeAndIsSigned() {
        Instant eve = at("2026-12-24T16:00", LONDON);
        Instant after = at("2026-12-29T10:00", LONDON);
        assertEquals(Duration.ofHours(2), uk.businessTimeBetween(eve, after));
        assertEquals(Duration.ofHours(-2), uk.businessTimeBetween(after, eve));
        assertEquals(Duration.ZERO, uk.businessTimeBetween(eve, eve));
        assertEquals(
                Duration.ofHours(40),
                uk.businessTimeBetween(at("2026-12-07T00:00", LONDON), at("2026-12-14T00:00", LONDON)),
                "a plain week: five days of eight hours");
        Instant t = utc("2026-05-01T12:00:00Z");
        assertEquals(Duration.ofDays(3), always.businessTimeBetween(t, t.plus(Duration.ofDays(3))));
        // Round trip: the time between a start and start + d is d.
        Instant start = at("2026-04-02T16:30", LONDON);
        assertEquals(
                Duration.ofHours(13), uk.businessTimeBetween(start, uk.plusBusinessTime(start, Duration.ofHours(13))));
    }

    // --- Nth business day ---

    @Test
    void closeOfTheNthBusinessDayAfterTheDayOfStart() {
        // Easter 2026 (UK): Thursday 2 April; Good Friday and Easter Monday skipped; third business day Thursday 9
        // April, BST.
        assertEquals(utc("2026-04-09T16:00:00Z"), uk.closeOfBusinessDay(at("2026-04-02T10:00", LONDON), 3));
        // The day of the start does not count, however early.
        assertEquals(at("2026-12-15T17:00", LONDON), uk.closeOfBusinessDay(at("2026-12-14T00:01", LONDON), 1));
        // n = 0: the start day's close if it is a business day (even when already past), else the next one's.
        assertEquals(at("2026-12-14T17:00", LONDON), uk.closeOfBusinessDay(at("2026-12-14T18:30", LONDON), 0));
        assertEquals(at("2026-12-14T17:00", LONDON), uk.closeOfBusinessDay(at("2026-12-12T11:00", LONDON), 0));
        // A Saturday start: Monday is the first business day after it.
        assertEquals(at("2026-12-14T17:00", LONDON), uk.closeOfBusinessDay(at("2026-12-12T11:00", LONDON), 1));
        // Over New Year (US): Wednesday 30 December 2026; 1 January is a holiday.
        assertEquals(at("2027-01-05T17:00", NEW_YORK), us.closeOfBusinessDay(at("2026-12-30T12:00", NEW_YORK), 3));
        // A day open to 24:00 closes at the start of the next.
        assertEquals(utc("2026-03-12T00:00:00Z"), always.closeOfBusinessDay(utc("2026-03-10T10:00:00Z"), 1));
        assertThrows(IllegalArgumentException.class, () -> uk.closeOfBusinessDay(Instant.EPOCH, -1));
    }

    @Test
    void endOfDayIsTheStartOfTheNextLocalDay() {
        // A period ending on the day of the UK clock change: 28 March + 1 day, end of day = 00:00 BST on 30 March.
        assertEquals(
                utc("2026-03-29T23:00:00Z"), uk.plusPeriod(at("2026-03-28T15:00", LONDON), Period.ofDays(1), true));
        // Elapsed 24 hours to the end of that day.
        assertEquals(
                utc("2026-03-29T23:00:00Z"),
                uk.plusDuration(at("2026-03-28T15:00", LONDON), Duration.ofHours(24), true));
    }

    // --- Working hours ---

    @Test
    void workingHoursAreHhMmWith24ForMidnight() {
        BusinessCalendar.WorkingDay d = BusinessCalendar.WorkingDay.parse("00:00", "24:00");
        assertTrue(d.toMidnight());
        assertEquals("24:00", d.closeText());
        assertEquals("00:00", d.openText());
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.WorkingDay.parse("24:00", "24:00"));
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.WorkingDay.parse("17:00", "09:00"));
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.WorkingDay.parse("9:00", "17:00"));
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.WorkingDay.parse("09:00", "17:60"));
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.WorkingDay.parse("09:00", "09:00"));
        assertThrows(IllegalArgumentException.class, () -> new BusinessCalendar("none", LONDON, Map.of(), Set.of()));
    }
}
