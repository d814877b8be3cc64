package redress.followup.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A business calendar: a time zone, working hours per weekday and the holidays (observed dates) on
 * which nothing is worked. Immutable; plain Java, so its arithmetic is tested without a database.
 *
 * <p>Local times that do not exist or happen twice are resolved as {@link ZonedDateTime#of} does:
 * a time in a gap (New York 02:30 on 8 March 2026) is shifted forward by the length of the gap
 * (03:30 EDT); a time in an overlap (01:30 on 1 November 2026) takes the earlier offset (01:30 EDT,
 * the first of the two). Business time is elapsed time inside working hours: a working day whose
 * hours span a DST change is an hour shorter or longer, as the clock on the wall says.
 *
 * <p>A working day that runs to midnight has {@code close} = {@link LocalTime#MAX}, written
 * {@code 24:00}: it ends at the start of the next local day (a 24x7 calendar has {@code 00:00–24:00}
 * on every day).
 */
public final class BusinessCalendar {

    /** How far ahead (in local days) the arithmetic looks for working time before it gives up. */
    static final int MAX_DAYS = 366 * 10;

    /**
     * The working hours of one weekday, {@code open} inclusive to {@code close} exclusive;
     * {@code close} {@link LocalTime#MAX} means midnight at the end of the day (24:00).
     */
    public record WorkingDay(LocalTime open, LocalTime close) {

        public static final WorkingDay ALL_DAY = new WorkingDay(LocalTime.MIDNIGHT, LocalTime.MAX);
        private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

        public WorkingDay {
            Objects.requireNonNull(open, "open");
            Objects.requireNonNull(close, "close");
            if (!open.isBefore(close)) {
                throw new IllegalArgumentException(
                        "opening time " + text(open) + " must be before closing time " + text(close));
            }
        }

        /** {@code HH:mm}; {@code 24:00} for a close at midnight ({@code open} may not be 24:00). */
        public static WorkingDay parse(String open, String close) {
            LocalTime o = time(open, false);
            LocalTime c = time(close, true);
            return new WorkingDay(o, c);
        }

        public String openText() {
            return text(open);
        }

        public String closeText() {
            return text(close);
        }

        /** Whether the day runs to midnight (24:00). */
        public boolean toMidnight() {
            return close.equals(LocalTime.MAX);
        }

        private static LocalTime time(String s, boolean close) {
            if (s == null || !s.matches("\\d\\d:\\d\\d")) {
                throw new IllegalArgumentException("time must be HH:mm, not " + s);
            }
            if (close && s.equals("24:00")) {
                return LocalTime.MAX;
            }
            int h = Integer.parseInt(s.substring(0, 2));
            int m = Integer.parseInt(s.substring(3));
            if (h > 23 || m > 59) {
                throw new IllegalArgumentException(
                        "time " + s + " does not exist" + (close ? " (24:00 is midnight)" : ""));
            }
            return LocalTime.of(h, m);
        }

        private static String text(LocalTime t) {
            return t.equals(LocalTime.MAX) ? "24:00" : t.format(HH_MM);
        }
    }

    private final String name;
    private final ZoneId zone;
    private final Map<DayOfWeek, WorkingDay> hours;
    private final NavigableSet<LocalDate> holidays;

    /**
     * @param hours    working hours by weekday; a weekday absent is closed (at least one must be open)
     * @param holidays observed holidays: closed whatever their weekday
     */
    public BusinessCalendar(String name, ZoneId zone, Map<DayOfWeek, WorkingDay> hours, Set<LocalDate> holidays) {
        this.name = Objects.requireNonNull(name, "name");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (hours == null || hours.isEmpty()) {
            throw new IllegalArgumentException("a calendar needs at least one working weekday");
        }
        EnumMap<DayOfWeek, WorkingDay> h = new EnumMap<>(DayOfWeek.class);
        h.putAll(hours);
        h.values().forEach(Objects::requireNonNull);
        this.hours = Collections.unmodifiableMap(h);
        this.holidays = Collections.unmodifiableNavigableSet(new TreeSet<>(holidays == null ? Set.of() : holidays));
    }

    /** Every day 00:00–24:00 in the zone, no holidays. */
    public static BusinessCalendar always(String name, ZoneId zone) {
        EnumMap<DayOfWeek, WorkingDay> h = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            h.put(d, WorkingDay.ALL_DAY);
        }
        return new BusinessCalendar(name, zone, h, Set.of());
    }

    public String name() {
        return name;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Working hours by weekday, in weekday order; closed weekdays are absent. */
    public Map<DayOfWeek, WorkingDay> hours() {
        return hours;
    }

    public NavigableSet<LocalDate> holidays() {
        return holidays;
    }

    /**
     * The last day of the last year this calendar has holidays in (its seeds or imports), or empty
     * when it has none at all: after it, every working weekday counts as a business day, so a due
     * time beyond it may move when that year's holidays are imported.
     */
    public Optional<LocalDate> holidaysKnownThrough() {
        return holidays.isEmpty()
                ? Optional.empty()
                : Optional.of(LocalDate.of(holidays.last().getYear(), 12, 31));
    }

    /**
     * Whether {@code at} falls on a day after {@link #holidaysKnownThrough()} (never for a calendar
     * without holidays). A due time at midnight is the end of the day before it (a calendar-day
     * period ends there), so the midnight that ends the last known day is within the horizon.
     */
    public boolean beyondKnownHolidays(Instant at) {
        return holidaysKnownThrough()
                .map(k -> LocalDate.ofInstant(at.minusNanos(1), zone).isAfter(k))
                .orElse(false);
    }

    /** Open on its weekday and not a holiday. */
    public boolean isBusinessDay(LocalDate day) {
        return hours.containsKey(day.getDayOfWeek()) && !holidays.contains(day);
    }

    /**
     * Calendar arithmetic on the local date-time in the zone: {@code P8W} from 15:00 on a day is
     * 15:00 on the day 56 days later, whatever DST did in between (never {@code Instant + Duration}).
     * The result is resolved in the zone (gap: shifted forward; overlap: earlier offset).
     *
     * @param endOfDay the due instant is the end of the resulting local day, that is the start of the next one
     */
    public Instant plusPeriod(Instant start, Period p, boolean endOfDay) {
        LocalDateTime local = LocalDateTime.ofInstant(start, zone).plus(p);
        return endOfDay
                ? endOf(local.toLocalDate())
                : ZonedDateTime.of(local, zone).toInstant();
    }

    /**
     * Elapsed time ("within 24 hours"): {@code start + d}; with {@code endOfDay}, the end of the
     * local day on which that instant falls.
     */
    public Instant plusDuration(Instant start, Duration d, boolean endOfDay) {
        Instant due = start.plus(d);
        return endOfDay ? endOf(LocalDate.ofInstant(due, zone)) : due;
    }

    /**
     * The instant at which {@code d} of working time has passed since {@code start}, counting only
     * working hours on business days. Working time that runs out exactly at a close is due at that
     * close (16 business hours from Monday 09:00 is Tuesday 17:00, not Wednesday 09:00).
     */
    public Instant plusBusinessTime(Instant start, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("business time must not be negative: " + d);
        }
        Duration left = d;
        if (left.isZero()) {
            return start;
        }
        LocalDate day = LocalDate.ofInstant(start, zone);
        for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
            if (!isBusinessDay(day)) {
                continue;
            }
            Instant open = opening(day);
            Instant close = closing(day);
            if (!close.isAfter(start)) {
                continue;
            }
            Instant from = open.isAfter(start) ? open : start;
            Duration available = Duration.between(from, close);
            if (left.compareTo(available) <= 0) {
                return from.plus(left);
            }
            left = left.minus(available);
        }
        throw new IllegalStateException(
                "calendar " + name + " has no working time within " + MAX_DAYS + " days of " + start);
    }

    /**
     * The close of business on the {@code n}-th business day after the local day of {@code start}
     * (DISP 1.5: "the third business day following the day of receipt"); {@code n = 0}: the close
     * of the day of {@code start} if it is a business day, else of the next business day (which,
     * for a start after the close, is already past).
     */
    public Instant closeOfBusinessDay(Instant start, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        LocalDate day = LocalDate.ofInstant(start, zone);
        int found = 0;
        if (n > 0) {
            day = day.plusDays(1);
        }
        for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
            if (isBusinessDay(day)) {
                found++;
                if (found == Math.max(n, 1)) {
                    return closing(day);
                }
            }
        }
        throw new IllegalStateException(
                "calendar " + name + " has no business day within " + MAX_DAYS + " days of " + start);
    }

    /** Working time in {@code [from, to)}; negative when {@code to} is before {@code from}. */
    public Duration businessTimeBetween(Instant from, Instant to) {
        if (to.isBefore(from)) {
            return businessTimeBetween(to, from).negated();
        }
        Duration total = Duration.ZERO;
        LocalDate last = LocalDate.ofInstant(to, zone);
        for (LocalDate day = LocalDate.ofInstant(from, zone); !day.isAfter(last); day = day.plusDays(1)) {
            if (!isBusinessDay(day)) {
                continue;
            }
            Instant a = max(opening(day), from);
            Instant b = min(closing(day), to);
            if (b.isAfter(a)) {
                total = total.plus(Duration.between(a, b));
            }
        }
        return total;
    }

    /** The instant a business day opens (a gap at the opening time shifts it forward). */
    Instant opening(LocalDate day) {
        WorkingDay w = hours.get(day.getDayOfWeek());
        return ZonedDateTime.of(day, w.open(), zone).toInstant();
    }

    /** The instant a business day closes; a day open to 24:00 closes at the start of the next day. */
    Instant closing(LocalDate day) {
        WorkingDay w = hours.get(day.getDayOfWeek());
        return w.toMidnight()
                ? endOf(day)
                : ZonedDateTime.of(day, w.close(), zone).toInstant();
    }

    /** The end of a local day: the first instant of the next one (never 23:59:59.999…). */
    Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        return "BusinessCalendar[" + name + ", " + zone + ", " + hours.size() + " working weekdays, " + holidays.size()
                + " holidays]";
    }
}
