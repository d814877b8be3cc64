package redress.followup.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The holidays of the V2 migration are the observed public holidays of 2026 and 2027, checked
 * against the observance rules computed independently ({@link HolidayRules}).
 */
class SeededHolidaysTest {

    final Map<String, TreeMap<LocalDate, String>> seeded = Seeds.holidays();

    @Test
    void theSeedHasTheThreeRegionsAndNothingForAlways() {
        assertEquals(Set.of("GB-EAW", "US", "AU-NSW"), seeded.keySet());
    }

    @Test
    void englandAndWales() {
        assertEquals(expected(HolidayRules::gbEaw), seeded.get("GB-EAW").keySet());
        assertTrue(seeded.get("GB-EAW").get(LocalDate.of(2026, 12, 28)).startsWith("Boxing Day"));
        assertFalse(seeded.get("GB-EAW").containsKey(LocalDate.of(2026, 12, 26)), "Saturday 26th is not itself observed");
        assertTrue(seeded.get("GB-EAW").get(LocalDate.of(2027, 12, 27)).startsWith("Christmas Day"));
        assertEquals(LocalDate.of(2026, 4, 5), HolidayRules.easter(2026));
        assertEquals(LocalDate.of(2027, 3, 28), HolidayRules.easter(2027));
    }

    @Test
    void unitedStatesFederal() {
        assertEquals(expected(HolidayRules::us), seeded.get("US").keySet());
        assertEquals("Independence Day (observed)", seeded.get("US").get(LocalDate.of(2026, 7, 3)));
        assertEquals(DayOfWeek.SATURDAY, LocalDate.of(2026, 7, 4).getDayOfWeek());
        assertTrue(seeded.get("US").containsKey(LocalDate.of(2027, 12, 31)), "New Year's Day 2028 (a Saturday) is observed in 2027");
    }

    @Test
    void newSouthWales() {
        assertEquals(expected(HolidayRules::auNsw), seeded.get("AU-NSW").keySet());
        assertTrue(seeded.get("AU-NSW").containsKey(LocalDate.of(2026, 12, 28)), "the additional day for a Saturday Boxing Day");
        assertFalse(seeded.get("AU-NSW").containsKey(LocalDate.of(2027, 4, 26)), "Anzac Day has no substitute in NSW");
    }

    @Test
    void everyNameIsPlainText() {
        seeded.values().forEach(days -> days.values().forEach(name -> {
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
