package redress.followup.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The observance rules of each seeded region, computed from first principles (Easter by the
 * Gregorian computus, "last Monday of May", weekend substitutes), to check the seeded dates
 * independently of how they were typed.
 */
final class HolidayRules {

    private HolidayRules() {}

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
        List<LocalDate> fixedDays = new ArrayList<>(usFixed(year));
        fixedDays.add(LocalDate.of(year + 1, 1, 1));
        for (LocalDate fixed : fixedDays) {
            LocalDate observed = switch (fixed.getDayOfWeek()) {
                case SATURDAY -> fixed.minusDays(1);
                case SUNDAY -> fixed.plusDays(1);
                default -> fixed;
            };
            if (observed.getYear() == year) {
                days.add(observed);
            }
        }
        days.addAll(usWeekdayHolidays(year));
        return days;
    }

    /** The legal public holidays of 5 U.S.C. 6103 on a fixed date of {@code year}. */
    static List<LocalDate> usFixed(int year) {
        return List.of(
                LocalDate.of(year, 1, 1),
                LocalDate.of(year, 6, 19),
                LocalDate.of(year, 7, 4),
                LocalDate.of(year, 11, 11),
                LocalDate.of(year, 12, 25));
    }

    /** The legal public holidays of 5 U.S.C. 6103 on a given weekday of a month (Mondays, Thanksgiving). */
    static List<LocalDate> usWeekdayHolidays(int year) {
        return List.of(
                nth(year, 1, DayOfWeek.MONDAY, 3),
                nth(year, 2, DayOfWeek.MONDAY, 3),
                last(year, 5, DayOfWeek.MONDAY),
                nth(year, 9, DayOfWeek.MONDAY, 1),
                nth(year, 10, DayOfWeek.MONDAY, 2),
                nth(year, 11, DayOfWeek.THURSDAY, 4));
    }

    /**
     * The years for which the Public Holidays Amendment (Anzac Day) Order 2026 (NSW) declares an
     * additional public holiday on the Monday after Anzac Day (Saturday 25 April 2026, Sunday
     * 25 April 2027). The Public Holidays Act 2010 itself gives Anzac Day no substitute; a later
     * year gets one only if another order says so.
     */
    static final Set<Integer> ANZAC_ORDER_YEARS = Set.of(2026, 2027);

    /**
     * New South Wales: the day itself is a holiday even at a weekend; a weekend New Year's Day,
     * Christmas Day or Boxing Day adds the next free weekday; a weekend Australia Day moves to the
     * Monday; a weekend Anzac Day adds the following Monday in the years of the 2026 order
     * ({@link #ANZAC_ORDER_YEARS}), and has no substitute otherwise.
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
        LocalDate anzac = LocalDate.of(year, 4, 25);
        days.add(anzac);
        if (weekend(anzac) && ANZAC_ORDER_YEARS.contains(year)) {
            days.add(anzac.with(TemporalAdjusters.next(DayOfWeek.MONDAY)));
        }
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

    /**
     * NSW bank business days: every NSW public holiday, and the Bank Holiday on the first Monday
     * in August (banks and certain financial institutions only).
     */
    static Set<LocalDate> auNswBank(int year) {
        Set<LocalDate> days = new TreeSet<>(auNsw(year));
        days.add(nth(year, 8, DayOfWeek.MONDAY, 1));
        return days;
    }

    /**
     * The Federal Reserve Banks: the legal public holidays of 5 U.S.C. 6103, each listed on its own
     * date; one that falls on a Sunday is also observed on the Monday after; one on a Saturday is
     * not moved (the Reserve Banks are open the Friday before, unlike federal offices).
     */
    static Set<LocalDate> usFed(int year) {
        Set<LocalDate> days = new TreeSet<>();
        for (LocalDate fixed : usFixed(year)) {
            days.add(fixed);
            if (fixed.getDayOfWeek() == DayOfWeek.SUNDAY) {
                days.add(fixed.plusDays(1));
            }
        }
        days.addAll(usWeekdayHolidays(year));
        return days;
    }
}
