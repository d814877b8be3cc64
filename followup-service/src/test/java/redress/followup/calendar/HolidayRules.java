package redress.followup.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Set;
import java.util.TreeSet;

/**
 * The observance rules of each seeded region, computed from first principles (Easter by the
 * Gregorian computus, "last Monday of May", weekend substitutes), to check the seeded dates
 * independently of how they were typed.
 */
final class HolidayRules {

    private HolidayRules() {
    }

    /** Western Easter Sunday (anonymous Gregorian algorithm). */
    static LocalDate easter(int year) {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }

    static boolean weekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    static LocalDate nth(int year, int month, DayOfWeek dow, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
    }

    static LocalDate last(int year, int month, DayOfWeek dow) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.lastInMonth(dow));
    }

    /** The first weekday on or after {@code d} not already taken. */
    static LocalDate substitute(LocalDate d, Set<LocalDate> taken) {
        while (weekend(d) || taken.contains(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** England and Wales: a weekend Christmas, Boxing or New Year's Day moves to the next free weekday. */
    static Set<LocalDate> gbEaw(int year) {
        Set<LocalDate> days = new TreeSet<>();
        days.add(substitute(LocalDate.of(year, 1, 1), days));
        days.add(easter(year).minusDays(2));
        days.add(easter(year).plusDays(1));
        days.add(nth(year, 5, DayOfWeek.MONDAY, 1));
        days.add(last(year, 5, DayOfWeek.MONDAY));
        days.add(last(year, 8, DayOfWeek.MONDAY));
        days.add(substitute(LocalDate.of(year, 12, 25), days));
        days.add(substitute(LocalDate.of(year, 12, 26), days));
        return days;
    }

    /** US federal: Saturday observed on the Friday before, Sunday on the Monday after (5 U.S.C. 6103, EO 11582). */
    static Set<LocalDate> us(int year) {
        Set<LocalDate> days = new TreeSet<>();
        for (LocalDate fixed : new LocalDate[] { LocalDate.of(year, 1, 1), LocalDate.of(year, 6, 19), LocalDate.of(year, 7, 4),
                LocalDate.of(year, 11, 11), LocalDate.of(year, 12, 25), LocalDate.of(year + 1, 1, 1) }) {
            LocalDate observed = switch (fixed.getDayOfWeek()) {
                case SATURDAY -> fixed.minusDays(1);
                case SUNDAY -> fixed.plusDays(1);
                default -> fixed;
            };
            if (observed.getYear() == year) {
                days.add(observed);
            }
        }
        days.add(nth(year, 1, DayOfWeek.MONDAY, 3));
        days.add(nth(year, 2, DayOfWeek.MONDAY, 3));
        days.add(last(year, 5, DayOfWeek.MONDAY));
        days.add(nth(year, 9, DayOfWeek.MONDAY, 1));
        days.add(nth(year, 10, DayOfWeek.MONDAY, 2));
        days.add(nth(year, 11, DayOfWeek.THURSDAY, 4));
        return days;
    }

    /**
     * New South Wales: the day itself is a holiday even at a weekend; a weekend New Year's Day,
     * Christmas Day or Boxing Day adds the next free weekday; a weekend Australia Day moves to the
     * Monday; Anzac Day has no substitute.
     */
    static Set<LocalDate> auNsw(int year) {
        Set<LocalDate> days = new TreeSet<>();
        LocalDate newYear = LocalDate.of(year, 1, 1);
        days.add(newYear);
        if (weekend(newYear)) {
            days.add(substitute(newYear, days));
        }
        days.add(substitute(LocalDate.of(year, 1, 26), days));
        LocalDate easter = easter(year);
        for (int d = -2; d <= 1; d++) {
            days.add(easter.plusDays(d));
        }
        days.add(LocalDate.of(year, 4, 25));
        days.add(nth(year, 6, DayOfWeek.MONDAY, 2));
        days.add(nth(year, 10, DayOfWeek.MONDAY, 1));
        LocalDate christmas = LocalDate.of(year, 12, 25), boxing = LocalDate.of(year, 12, 26);
        days.add(christmas);
        days.add(boxing);
        if (weekend(christmas)) {
            days.add(substitute(christmas, days));
        }
        if (weekend(boxing)) {
            days.add(substitute(boxing, days));
        }
        return days;
    }
}
