package redress.followup.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import redress.followup.profile.DeadlineSpec;
import redress.followup.profile.ProfileDefinition;

/**
 * The holidays the migrations seed (V2, corrected and extended by V4) are the observed public
 * and bank holidays of 2026 and 2027, checked against the observance rules computed
 * independently ({@link HolidayRules}) and against dated facts.
 */
class SeededHolidaysTest {

    final Map<String, TreeMap<LocalDate, String>> seeded = Seeds.holidays();

    @Test
    void theSeedHasTheRegionsAndNothingForAlways() {
        assertEquals(Set.of("GB-EAW", "US", "AU-NSW", "AU-NSW-BANK", "US-FED"), seeded.keySet());
        assertEquals(Set.of("GB-EAW", "US", "AU-NSW", "AU-NSW-BANK", "US-FED", "ALWAYS"), Seeds.calendars());
        Seeds.calendars().forEach(c -> assertEquals(c, Seeds.region(c), "each seeded calendar is of its own region"));
        assertEquals(Map.of("AU-NSW-BANK", Set.of("AU-NSW")), Seeds.includes());
    }

    @Test
    void englandAndWales() {
        assertEquals(expected(HolidayRules::gbEaw), seeded.get("GB-EAW").keySet());
        assertTrue(seeded.get("GB-EAW").get(LocalDate.of(2026, 12, 28)).startsWith("Boxing Day"));
        assertFalse(
                seeded.get("GB-EAW").containsKey(LocalDate.of(2026, 12, 26)), "Saturday 26th is not itself observed");
        assertTrue(seeded.get("GB-EAW").get(LocalDate.of(2027, 12, 27)).startsWith("Christmas Day"));
        assertEquals(LocalDate.of(2026, 4, 5), HolidayRules.easter(2026));
        assertEquals(LocalDate.of(2027, 3, 28), HolidayRules.easter(2027));
    }

    @Test
    void unitedStatesFederal() {
        assertEquals(expected(HolidayRules::us), seeded.get("US").keySet());
        assertEquals("Independence Day (observed)", seeded.get("US").get(LocalDate.of(2026, 7, 3)));
        assertEquals(DayOfWeek.SATURDAY, LocalDate.of(2026, 7, 4).getDayOfWeek());
        assertTrue(
                seeded.get("US").containsKey(LocalDate.of(2027, 12, 31)),
                "New Year's Day 2028 (a Saturday) is observed in 2027");
    }

    @Test
    void newSouthWales() {
        assertEquals(expected(HolidayRules::auNsw), seeded.get("AU-NSW").keySet());
        assertTrue(
                seeded.get("AU-NSW").containsKey(LocalDate.of(2026, 12, 28)),
                "the additional day for a Saturday Boxing Day");
        // Public Holidays Amendment (Anzac Day) Order 2026: Anzac Day falls on Saturday 2026 and Sunday 2027.
        assertEquals(DayOfWeek.SATURDAY, LocalDate.of(2026, 4, 25).getDayOfWeek());
        assertEquals(DayOfWeek.SUNDAY, LocalDate.of(2027, 4, 25).getDayOfWeek());
        assertTrue(
                seeded.get("AU-NSW").containsKey(LocalDate.of(2026, 4, 27)), "the order's Monday after Anzac Day 2026");
        assertTrue(
                seeded.get("AU-NSW").containsKey(LocalDate.of(2027, 4, 26)), "the order's Monday after Anzac Day 2027");
        assertTrue(seeded.get("AU-NSW").containsKey(LocalDate.of(2026, 4, 25)), "Anzac Day itself stays a holiday");
    }

    @Test
    void newSouthWalesBankBusinessDays() {
        assertEquals(
                Set.of(LocalDate.of(2026, 8, 3), LocalDate.of(2027, 8, 2)),
                seeded.get("AU-NSW-BANK").keySet(),
                "its own holidays: the Bank Holiday, the first Monday in August");
        assertEquals(
                expected(HolidayRules::auNswBank),
                Seeds.regionHolidays("AU-NSW-BANK").keySet());
        BusinessCalendar bank = Seeds.calendar("AU-NSW-BANK");
        BusinessCalendar nsw = Seeds.calendar("AU-NSW");
        assertEquals(DayOfWeek.MONDAY, LocalDate.of(2026, 8, 3).getDayOfWeek());
        assertFalse(bank.isBusinessDay(LocalDate.of(2026, 8, 3)), "banks are closed on the Bank Holiday");
        assertTrue(nsw.isBusinessDay(LocalDate.of(2026, 8, 3)), "which is not a public holiday");
        assertFalse(
                bank.isBusinessDay(LocalDate.of(2026, 4, 27)),
                "the NSW public holidays are included, the Anzac order's too");
        assertEquals(Set.copyOf(expected(HolidayRules::auNsw)), Set.copyOf(nsw.holidays()));
        assertEquals(nsw.zone(), bank.zone());
        assertEquals(nsw.hours(), bank.hours());
    }

    @Test
    void federalReserveBankBusinessDays() {
        assertEquals(expected(HolidayRules::usFed), seeded.get("US-FED").keySet());
        BusinessCalendar fed = Seeds.calendar("US-FED");
        BusinessCalendar federal = Seeds.calendar("US");
        // Independence Day 2026 is a Saturday: federal offices observe it on Friday 3 July, the Reserve Banks are open.
        assertEquals(DayOfWeek.SATURDAY, LocalDate.of(2026, 7, 4).getDayOfWeek());
        assertTrue(fed.isBusinessDay(LocalDate.of(2026, 7, 3)));
        assertFalse(federal.isBusinessDay(LocalDate.of(2026, 7, 3)));
        assertFalse(fed.isBusinessDay(LocalDate.of(2026, 7, 4)));
        // 2027: Juneteenth and Christmas are Saturdays (open the Fridays before), Independence Day a Sunday (closed
        // Monday 5 July).
        assertTrue(fed.isBusinessDay(LocalDate.of(2027, 6, 18)));
        assertTrue(fed.isBusinessDay(LocalDate.of(2027, 12, 24)));
        assertFalse(fed.isBusinessDay(LocalDate.of(2027, 7, 5)));
        assertFalse(federal.isBusinessDay(LocalDate.of(2027, 7, 5)));
        // New Year's Day 2028 is a Saturday: the Reserve Banks are open on Friday 31 December 2027, federal offices are
        // not.
        assertTrue(fed.isBusinessDay(LocalDate.of(2027, 12, 31)));
        assertFalse(federal.isBusinessDay(LocalDate.of(2027, 12, 31)));
        // The fixed-date holidays on weekdays and the Monday holidays are the same for both.
        for (LocalDate d : federal.holidays()) {
            if (d.getDayOfWeek() != DayOfWeek.FRIDAY) {
                assertFalse(fed.isBusinessDay(d), d.toString());
            }
        }
        // Thursday 2 July 2026 noon + 8 business hours: 5 on Thursday, 3 on Friday 3 July (EDT): 12:00 Friday.
        Instant thursday = ZonedDateTime.of(LocalDateTime.parse("2026-07-02T12:00"), ZoneId.of("America/New_York"))
                .toInstant();
        assertEquals(
                Instant.parse("2026-07-03T16:00:00Z"), fed.plusBusinessTime(thursday, java.time.Duration.ofHours(8)));
        assertEquals(
                Instant.parse("2026-07-06T16:00:00Z"),
                federal.plusBusinessTime(thursday, java.time.Duration.ofHours(8)));
    }

    @Test
    void theAuAsicRg271AcknowledgementOverAnzacDay2026ThroughTheSeededProfileAndCalendar() throws Exception {
        // The profile as V3 installs it, on the AU-NSW calendar as the migrations seed it.
        Matcher m = Pattern.compile("^\\('AU_ASIC_RG271', 1, '(\\{.*\\})', 'migration'", Pattern.MULTILINE)
                .matcher(Seeds.migration("V3__profiles.sql"));
        assertTrue(m.find(), "AU_ASIC_RG271 is seeded");
        ProfileDefinition d = new ObjectMapper().readValue(m.group(1), ProfileDefinition.class);
        DeadlineSpec ack = d.deadlines().stream()
                .filter(s -> s.kind().equals("ACKNOWLEDGEMENT"))
                .findFirst()
                .orElseThrow();
        Instant received = ZonedDateTime.of(LocalDateTime.parse("2026-04-24T10:00"), ZoneId.of("Australia/Sydney"))
                .toInstant();
        Instant due = ack.clock().due(received, Seeds.calendar(d.calendar()));
        assertEquals(
                ZonedDateTime.of(LocalDateTime.parse("2026-04-28T10:00"), ZoneId.of("Australia/Sydney"))
                        .toInstant(),
                due,
                "Friday 10:00 + 8 business hours: Saturday, Sunday and Monday 27 April skipped");
    }

    @Test
    void everyNameIsPlainText() {
        seeded.values()
                .forEach(days -> days.values().forEach(name -> {
                    assertFalse(name.isBlank());
                    assertTrue(name.length() <= 200);
                }));
    }

    private static Set<LocalDate> expected(java.util.function.IntFunction<Set<LocalDate>> rules) {
        Set<LocalDate> all = new TreeSet<>();
        all.addAll(rules.apply(2026));
        all.addAll(rules.apply(2027));
        return all;
    }
}
