package redress.followup.calendar;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Reads holidays from an iCalendar file (RFC 5545), the format public holiday feeds are published
 * in. Only what a holiday needs is read: each {@code VEVENT}'s {@code DTSTART} (a date,
 * {@code DTSTART;VALUE=DATE:20261228}, or a date-time of which the date as written is taken,
 * whatever its {@code TZID} or {@code Z}) and its {@code SUMMARY} (the holiday's name). Lines
 * are unfolded first (a line that begins with a space or a tab continues the one before).
 * Everything else (other components and properties, {@code RRULE} included: recurrences are not
 * expanded) is ignored. Input that is not iCalendar is refused naming its line.
 */
public final class ICalendarHolidays {

    /** One holiday read from the file. */
    public record Holiday(LocalDate day, String name, int line) {
    }

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
    public static final int MAX_EVENTS = 5000;

    private record Line(int number, String text) {
    }

    private ICalendarHolidays() {
    }

    public static List<Holiday> parse(String text) {
        List<Line> lines = unfold(text);
        if (lines.isEmpty() || !lines.get(0).text().equalsIgnoreCase("BEGIN:VCALENDAR")) {
            throw new Malformed(lines.isEmpty() ? 1 : lines.get(0).number(), "an iCalendar file begins with BEGIN:VCALENDAR");
        }
        List<Holiday> holidays = new ArrayList<>();
        Deque<String> open = new ArrayDeque<>();
        int eventLine = 0;
        LocalDate day = null;
        String summary = null;
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
                    if (component.equals("VEVENT")) {
                        eventLine = l.number();
                        day = null;
                        summary = null;
                    }
                }
                case "END" -> {
                    String component = value.trim().toUpperCase(Locale.ROOT);
                    if (open.isEmpty() || !open.peek().equals(component)) {
                        throw new Malformed(l.number(), "END:" + component + " does not close "
                                + (open.isEmpty() ? "anything" : "BEGIN:" + open.peek()));
                    }
                    open.pop();
                    if (component.equals("VEVENT") && !open.contains("VEVENT")) {
                        if (day == null) {
                            throw new Malformed(eventLine, "VEVENT without DTSTART");
                        }
                        if (holidays.size() >= MAX_EVENTS) {
                            throw new Malformed(l.number(), "more than " + MAX_EVENTS + " events");
                        }
                        holidays.add(new Holiday(day, summary == null || summary.isBlank() ? "Holiday" : summary.strip(),
                                eventLine));
                    }
                    ended = open.isEmpty();
                }
                case "DTSTART" -> {
                    if (inEvent(open)) {
                        day = date(l, parts, value.trim());
                    }
                }
                case "SUMMARY" -> {
                    if (inEvent(open)) {
                        summary = unescape(value);
                        if (summary.strip().length() > MAX_NAME) {
                            throw new Malformed(l.number(), "SUMMARY longer than " + MAX_NAME + " characters");
                        }
                        if (summary.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
                            throw new Malformed(l.number(), "SUMMARY holds a control character");
                        }
                        summary = summary.replace('\n', ' ');
                    }
                }
                default -> {
                    // other properties are not needed for a holiday
                }
            }
        }
        if (!ended) {
            throw new Malformed(lines.get(lines.size() - 1).number(), "END:VCALENDAR missing"
                    + (open.isEmpty() ? "" : " (BEGIN:" + open.peek() + " not closed)"));
        }
        return holidays;
    }

    /** The events directly inside a VEVENT (not inside a nested VALARM). */
    private static boolean inEvent(Deque<String> open) {
        return "VEVENT".equals(open.peek());
    }

    private static LocalDate date(Line l, String[] params, String value) {
        boolean dateOnly = false;
        for (int i = 1; i < params.length; i++) {
            String p = params[i];
            if (p.toUpperCase(Locale.ROOT).startsWith("VALUE=")) {
                String v = p.substring(6).toUpperCase(Locale.ROOT);
                if (v.equals("DATE")) {
                    dateOnly = true;
                } else if (!v.equals("DATE-TIME")) {
                    throw new Malformed(l.number(), "DTSTART VALUE must be DATE or DATE-TIME, not " + shorten(p.substring(6)));
                }
            }
        }
        boolean ok = dateOnly ? value.matches("\\d{8}") : value.matches("\\d{8}(T\\d{6}Z?)?");
        if (!ok) {
            throw new Malformed(l.number(), "DTSTART " + shorten(value) + " is not "
                    + (dateOnly ? "a date (YYYYMMDD)" : "a date or date-time (YYYYMMDD or YYYYMMDDTHHMMSS)"));
        }
        try {
            LocalDate d = LocalDate.of(Integer.parseInt(value.substring(0, 4)), Integer.parseInt(value.substring(4, 6)),
                    Integer.parseInt(value.substring(6, 8)));
            if (d.getYear() < 1900 || d.getYear() > 2200) {
                throw new Malformed(l.number(), "DTSTART year " + d.getYear() + " is out of range (1900–2200)");
            }
            return d;
        } catch (DateTimeException e) {
            throw new Malformed(l.number(), "DTSTART " + value.substring(0, 8) + " is not a date");
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
