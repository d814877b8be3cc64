package redress.followup.calendar;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads holidays from the UK government's bank holidays file, as published in JSON:
 * <pre>
 * {"england-and-wales":{"division":"england-and-wales","events":[
 *     {"title":"New Year’s Day","date":"2026-01-01","notes":"","bunting":true}, …]},
 *  "scotland":{…}, "northern-ireland":{…}}
 * </pre>
 * One division is read: the one named, or the only one when the file has a single division. Each
 * event gives one holiday on its {@code date}, named by its {@code title}, with its {@code notes}
 * after it in brackets when there are any ("Boxing Day (substitute day)"). {@code bunting} and
 * other fields are ignored. Anything else is refused, naming where it is wrong
 * ({@code england-and-wales.events[3].date}, or the line and column of a syntax error).
 */
public final class UkBankHolidays {

    /** What is wrong: {@code field} names the place (a path in the file, {@code division}, or {@code line L, column C}). */
    public static final class Invalid extends RuntimeException {
        private final String field;
        private final String reason;

        public Invalid(String field, String reason) {
            super(field + ": " + reason);
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    private static final Pattern DIVISION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private UkBankHolidays() {}

    /**
     * The holidays of one division.
     *
     * @param division the division to read ({@code england-and-wales}, {@code scotland},
     *                 {@code northern-ireland}); may be null when the file has one division only
     */
    public static List<Calendars.NewHoliday> parse(String text, String division) {
        JsonNode root;
        try {
            root = JSON.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? "body"
                    : "line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            String m = e.getOriginalMessage();
            throw new Invalid(
                    where,
                    m.startsWith("Duplicate field")
                            ? "a name given twice (ambiguous): " + m
                            : e instanceof JsonParseException ? "not JSON: " + m : m);
        }
        if (root == null || root.isMissingNode()) {
            throw new Invalid("body", "empty: the bank holidays file is a JSON object of divisions");
        }
        if (!root.isObject()) {
            throw new Invalid(
                    "body", "must be a JSON object of divisions (\"england-and-wales\": {...}), not " + kind(root));
        }
        List<String> divisions = new ArrayList<>();
        root.fieldNames().forEachRemaining(divisions::add);
        if (divisions.isEmpty()) {
            throw new Invalid("body", "no divisions");
        }
        String chosen;
        if (division == null || division.isBlank()) {
            if (divisions.size() > 1) {
                throw new Invalid(
                        "division", "the file has several divisions " + divisions + ": name one (?division=…)");
            }
            chosen = divisions.get(0);
        } else {
            chosen = division.strip();
            if (!root.has(chosen)) {
                throw new Invalid("division", "the file has no division " + shorten(chosen) + "; it has " + divisions);
            }
        }
        if (!DIVISION.matcher(chosen).matches()) {
            throw new Invalid(chosen, "not a division name (lower-case letters, digits and '-')");
        }
        JsonNode d = root.get(chosen);
        if (!d.isObject()) {
            throw new Invalid(chosen, "must be an object with \"events\", not " + kind(d));
        }
        JsonNode named = d.get("division");
        if (named != null && !(named.isTextual() && named.textValue().equals(chosen))) {
            throw new Invalid(chosen + ".division", "names " + shorten(named.toString()) + ", not " + chosen);
        }
        JsonNode events = d.get("events");
        if (events == null) {
            throw new Invalid(chosen + ".events", "is required (a list of events)");
        }
        if (!events.isArray()) {
            throw new Invalid(chosen + ".events", "must be a list, not " + kind(events));
        }
        if (events.size() > ICalendarHolidays.MAX_EVENTS) {
            throw new Invalid(chosen + ".events", "more than " + ICalendarHolidays.MAX_EVENTS + " events");
        }
        List<Calendars.NewHoliday> holidays = new ArrayList<>();
        Iterator<JsonNode> it = events.elements();
        for (int i = 0; it.hasNext(); i++) {
            holidays.add(event(chosen + ".events[" + i + "]", it.next()));
        }
        return holidays;
    }

    private static Calendars.NewHoliday event(String at, JsonNode e) {
        if (!e.isObject()) {
            throw new Invalid(at, "an event is an object with title and date, not " + kind(e));
        }
        JsonNode date = e.get("date");
        if (date == null || date.isNull()) {
            throw new Invalid(at + ".date", "is required (YYYY-MM-DD)");
        }
        if (!date.isTextual() || !DATE.matcher(date.textValue()).matches()) {
            throw new Invalid(at + ".date", shorten(date.toString()) + " is not a date (YYYY-MM-DD)");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date.textValue());
        } catch (DateTimeException ex) {
            throw new Invalid(at + ".date", date.textValue() + " is not a date");
        }
        if (day.isBefore(ICalendarHolidays.EARLIEST) || day.isAfter(ICalendarHolidays.LATEST)) {
            throw new Invalid(at + ".date", "year " + day.getYear() + " is out of range (1900–2200)");
        }
        String title = text(at + ".title", e.get("title"), true);
        String notes = text(at + ".notes", e.get("notes"), false);
        String name = notes.isEmpty() ? title : title + " (" + lowerFirst(notes) + ")";
        if (name.length() > ICalendarHolidays.MAX_NAME) {
            throw new Invalid(
                    notes.isEmpty() ? at + ".title" : at + ".notes",
                    "the holiday's name (title and notes) is longer than " + ICalendarHolidays.MAX_NAME
                            + " characters");
        }
        return new Calendars.NewHoliday(day, name);
    }

    private static String text(String at, JsonNode n, boolean required) {
        if (n == null || n.isNull()) {
            if (required) {
                throw new Invalid(at, "is required");
            }
            return "";
        }
        if (!n.isTextual()) {
            throw new Invalid(at, "must be text, not " + kind(n));
        }
        String s = n.textValue().strip();
        if (required && s.isEmpty()) {
            throw new Invalid(at, "must not be blank");
        }
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new Invalid(at, "holds a control character");
        }
        return s;
    }

    /** "Substitute day" → "substitute day"; an acronym ("UK …") is left as it is. */
    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
