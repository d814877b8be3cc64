package redress.followup.calendar;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/**
 * Reads holidays from an iCalendar file (RFC 5545), the format public holiday feeds are published
 * in. Only what a holiday needs is read: each {@code VEVENT}'s {@code DTSTART} (a date,
 * {@code DTSTART;VALUE=DATE:20261228}, or a date-time of which the date as written is taken,
 * whatever its {@code TZID} or {@code Z}), its {@code SUMMARY} (the holiday's name), and its
 * recurrence: {@code RRULE}s expanded (by iCal4j's {@link Recur}) within a bounded window,
 * {@code RDATE}s added, {@code EXDATE}s removed (dates as written, like {@code DTSTART}). Lines
 * are unfolded first (a line that begins with a space or a tab continues the one before).
 * Everything else (other components and properties) is ignored. Input that is not iCalendar is
 * refused naming its line.
 *
 * <p>The window: a rule's occurrences are taken from {@code DTSTART} through {@code until} when
 * the caller gives one, else through {@link #DEFAULT_WINDOW_YEARS} years after {@code DTSTART};
 * a rule that goes on longer (no {@code COUNT} or {@code UNTIL}, or a later one) is cut there.
 * At most {@link #MAX_EVENTS} holidays come out of one file.
 */
public final class ICalendarHolidays {

    /** One holiday read from the file. */
    public record Holiday(LocalDate day, String name, int line) {}

    /** Malformed input: {@code line} is the 1-based physical line where the problem starts. */
    public static final class Malformed extends RuntimeException {
        private final int line;
        private final String reason;

        public Malformed(int line, String reason) {
            super("line " + line + ": " + reason);
            this.line = line;
            this.reason = reason;
        }

        public int line() {
            return line;
        }

        /** What is wrong, without the line number. */
        public String reason() {
            return reason;
        }
    }

    public static final int MAX_NAME = 200;
    /** At most this many holidays from one file, recurrences included. */
    public static final int MAX_EVENTS = 5000;
    /** Without an explicit {@code until}, a recurrence is expanded through this many years after its DTSTART. */
    public static final int DEFAULT_WINDOW_YEARS = 10;

    public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
    public static final LocalDate LATEST = LocalDate.of(2200, 12, 31);

    private record Line(int number, String text) {}

    /** What one VEVENT says about its dates. */
    private static final class Event {
        final int line;
        LocalDate start;
        String summary;
        final List<Line> rules = new ArrayList<>();
        final Set<LocalDate> added = new TreeSet<>();
        final Set<LocalDate> excluded = new TreeSet<>();

        Event(int line) {
            this.line = line;
        }
    }

    private ICalendarHolidays() {}

    /** The holidays of the file, recurrences expanded through the default window. */
    public static List<Holiday> parse(String text) {
        return parse(text, null);
    }

    /**
     * The holidays of the file.
     *
     * @param until the last date recurrences are expanded to (inclusive); null: {@link #DEFAULT_WINDOW_YEARS}
     *              years after each event's DTSTART. Between {@link #EARLIEST} and {@link #LATEST}.
     */
    public static List<Holiday> parse(String text, LocalDate until) {
        if (until != null && (until.isBefore(EARLIEST) || until.isAfter(LATEST))) {
            throw new IllegalArgumentException("until must be between " + EARLIEST + " and " + LATEST);
        }
        List<Line> lines = unfold(text);
        if (lines.isEmpty() || !lines.get(0).text().equalsIgnoreCase("BEGIN:VCALENDAR")) {
            throw new Malformed(
                    lines.isEmpty() ? 1 : lines.get(0).number(), "an iCalendar file begins with BEGIN:VCALENDAR");
        }
        List<Holiday> holidays = new ArrayList<>();
        Deque<String> open = new ArrayDeque<>();
        Event event = null;
        boolean ended = false;
        for (Line l : lines) {
            if (ended) {
                throw new Malformed(l.number(), "content after END:VCALENDAR");
            }
            int colon = valueColon(l);
            String head = l.text().substring(0, colon);
            String value = l.text().substring(colon + 1);
            String[] parts = head.split(";", -1);
            String name = parts[0].toUpperCase(Locale.ROOT);
            if (!name.matches("[A-Z0-9-]+")) {
                throw new Malformed(l.number(), "not a property name: " + shorten(parts[0]));
            }
            switch (name) {
                case "BEGIN" -> {
                    String component = value.trim().toUpperCase(Locale.ROOT);
                    if (component.isEmpty()) {
                        throw new Malformed(l.number(), "BEGIN names no component");
                    }
                    if (open.isEmpty() != component.equals("VCALENDAR")) {
                        throw new Malformed(l.number(), "BEGIN:" + component + " is not allowed here");
                    }
                    open.push(component);
                    if (component.equals("VEVENT")
                            && !inEvent(open.stream().skip(1).findFirst().orElse(""))) {
                        event = new Event(l.number());
                    }
                }
                case "END" -> {
                    String component = value.trim().toUpperCase(Locale.ROOT);
                    if (open.isEmpty() || !open.peek().equals(component)) {
                        throw new Malformed(
                                l.number(),
                                "END:" + component + " does not close "
                                        + (open.isEmpty() ? "anything" : "BEGIN:" + open.peek()));
                    }
                    open.pop();
                    if (component.equals("VEVENT") && !open.contains("VEVENT")) {
                        if (event.start == null) {
                            throw new Malformed(event.line, "VEVENT without DTSTART");
                        }
                        String holiday =
                                event.summary == null || event.summary.isBlank() ? "Holiday" : event.summary.strip();
                        for (LocalDate d : occurrences(event, until, MAX_EVENTS - holidays.size())) {
                            if (holidays.size() >= MAX_EVENTS) {
                                throw new Malformed(
                                        l.number(), "more than " + MAX_EVENTS + " holidays (recurrences included)");
                            }
                            holidays.add(new Holiday(d, holiday, event.line));
                        }
                        event = null;
                    }
                    ended = open.isEmpty();
                }
                case "DTSTART" -> {
                    if (inEvent(open)) {
                        event.start = date(l, "DTSTART", parts, value.trim());
                    }
                }
                case "RRULE" -> {
                    if (inEvent(open)) {
                        event.rules.add(l);
                    }
                }
                case "RDATE", "EXDATE" -> {
                    if (inEvent(open)) {
                        for (String v : value.split(",", -1)) {
                            (name.equals("RDATE") ? event.added : event.excluded).add(date(l, name, parts, v.trim()));
                        }
                    }
                }
                case "SUMMARY" -> {
                    if (inEvent(open)) {
                        String summary = unescape(value);
                        if (summary.strip().length() > MAX_NAME) {
                            throw new Malformed(l.number(), "SUMMARY longer than " + MAX_NAME + " characters");
                        }
                        if (summary.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
                            throw new Malformed(l.number(), "SUMMARY holds a control character");
                        }
                        event.summary = summary.replace('\n', ' ');
                    }
                }
                default -> {
                    // other properties are not needed for a holiday
                }
            }
        }
        if (!ended) {
            throw new Malformed(
                    lines.get(lines.size() - 1).number(),
                    "END:VCALENDAR missing" + (open.isEmpty() ? "" : " (BEGIN:" + open.peek() + " not closed)"));
        }
        return holidays;
    }

    /** The events directly inside a VEVENT (not inside a nested VALARM). */
    private static boolean inEvent(Deque<String> open) {
        return inEvent(open.peek());
    }

    private static boolean inEvent(String component) {
        return "VEVENT".equals(component);
    }

    /**
     * An event's dates: DTSTART, each RRULE's occurrences from DTSTART through the window (the
     * caller's {@code until}, else {@link #DEFAULT_WINDOW_YEARS} years after DTSTART, never past
     * {@link #LATEST}), the RDATEs; less the EXDATEs (which may remove DTSTART too).
     */
    private static Set<LocalDate> occurrences(Event e, LocalDate until, int room) {
        Set<LocalDate> days = new TreeSet<>();
        days.add(e.start);
        LocalDate end = until != null ? until : e.start.plusYears(DEFAULT_WINDOW_YEARS);
        if (end.isAfter(LATEST)) {
            end = LATEST;
        }
        for (Line rule : e.rules) {
            String value = rule.text().substring(valueColon(rule) + 1).trim().toUpperCase(Locale.ROOT);
            // UNTIL as a date-time: its date as written, as for DTSTART (the rule runs on dates).
            value = value.replaceAll("(?<=UNTIL=)(\\d{8})T\\d{6}Z?", "$1");
            Recur<LocalDate> recur;
            try {
                recur = new Recur<>(value);
            } catch (RuntimeException ex) {
                throw new Malformed(
                        rule.number(), "RRULE " + shorten(value) + " is not a recurrence rule: " + reason(ex));
            }
            Frequency f = recur.getFrequency();
            if (f == Frequency.SECONDLY || f == Frequency.MINUTELY || f == Frequency.HOURLY) {
                throw new Malformed(
                        rule.number(),
                        "RRULE FREQ=" + f + ": a holiday recurs by the day at most"
                                + " (DAILY, WEEKLY, MONTHLY or YEARLY)");
            }
            if (end.isBefore(e.start)) {
                continue;
            }
            List<LocalDate> dates;
            try {
                dates = recur.getDates(e.start, e.start, end.plusDays(1), room + 1);
            } catch (RuntimeException ex) {
                throw new Malformed(
                        rule.number(), "RRULE " + shorten(value) + " cannot be expanded on a date: " + reason(ex));
            }
            for (LocalDate d : dates) {
                if (!d.isBefore(e.start) && !d.isAfter(end)) {
                    days.add(d);
                }
            }
        }
        days.addAll(e.added);
        days.removeAll(e.excluded);
        return days;
    }

    private static String reason(RuntimeException ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : shorten(m);
    }

    /** A DTSTART, RDATE or EXDATE value: a date, or a date-time of which the date as written is taken. */
    private static LocalDate date(Line l, String property, String[] params, String value) {
        boolean dateOnly = false;
        for (int i = 1; i < params.length; i++) {
            String p = params[i];
            if (p.toUpperCase(Locale.ROOT).startsWith("VALUE=")) {
                String v = p.substring(6).toUpperCase(Locale.ROOT);
                if (v.equals("DATE")) {
                    dateOnly = true;
                } else if (!v.equals("DATE-TIME")) {
                    throw new Malformed(
                            l.number(), property + " VALUE must be DATE or DATE-TIME, not " + shorten(p.substring(6)));
                }
            }
        }
        boolean ok = dateOnly ? value.matches("\\d{8}") : value.matches("\\d{8}(T\\d{6}Z?)?");
        if (!ok) {
            throw new Malformed(
                    l.number(),
                    property + " " + shorten(value) + " is not "
                            + (dateOnly ? "a date (YYYYMMDD)" : "a date or date-time (YYYYMMDD or YYYYMMDDTHHMMSS)"));
        }
        try {
            LocalDate d = LocalDate.of(
                    Integer.parseInt(value.substring(0, 4)),
                    Integer.parseInt(value.substring(4, 6)),
                    Integer.parseInt(value.substring(6, 8)));
            if (d.isBefore(EARLIEST) || d.isAfter(LATEST)) {
                throw new Malformed(l.number(), property + " year " + d.getYear() + " is out of range (1900–2200)");
            }
            return d;
        } catch (DateTimeException e) {
            throw new Malformed(l.number(), property + " " + value.substring(0, 8) + " is not a date");
        }
    }

    /** The colon that separates name and parameters from the value: the first one outside quotes. */
    private static int valueColon(Line l) {
        boolean quoted = false;
        String s = l.text();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ':' && !quoted) {
                if (i == 0) {
                    throw new Malformed(l.number(), "a content line needs a name before its colon");
                }
                return i;
            }
        }
        throw new Malformed(l.number(), "not a content line (NAME:value): " + shorten(s));
    }

    /** RFC 5545 3.1: CRLF (or a bare LF) followed by one space or tab continues the line. */
    static List<Line> unfold(String text) {
        String[] physical = text.split("\r\n|\n|\r", -1);
        List<Line> lines = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < physical.length; i++) {
            String p = physical[i];
            if (i == 0 && p.startsWith("\uFEFF")) {
                p = p.substring(1);
            }
            if (!p.isEmpty() && (p.charAt(0) == ' ' || p.charAt(0) == '\t')) {
                if (current == null) {
                    throw new Malformed(i + 1, "a continuation line with nothing to continue");
                }
                current.append(p, 1, p.length());
                continue;
            }
            if (current != null) {
                lines.add(new Line(start, current.toString()));
                current = null;
            }
            if (p.isEmpty()) {
                continue; // blank lines (a trailing newline) carry nothing
            }
            current = new StringBuilder(p);
            start = i + 1;
        }
        if (current != null) {
            lines.add(new Line(start, current.toString()));
        }
        return lines;
    }

    /** RFC 5545 3.3.11 TEXT escapes. */
    static String unescape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                b.append(n == 'n' || n == 'N' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
