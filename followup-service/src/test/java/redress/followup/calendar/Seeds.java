package redress.followup.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calendars and holidays of the V2 migration, read from its text (one row a line), so the
 * worked examples test the seeded data: a wrong row fails them.
 */
public final class Seeds {

    private static final Pattern CALENDAR = Pattern.compile("^\\('([A-Z-]+)', '([A-Za-z_/]+)', '([A-Z-]+)', nextval", Pattern.MULTILINE);
    private static final Pattern HOURS = Pattern.compile("^\\('([A-Z-]+)', ([1-7]), '(\\d\\d:\\d\\d)', '(\\d\\d:\\d\\d)'\\)", Pattern.MULTILINE);
    private static final Pattern HOLIDAY = Pattern.compile("^\\('([A-Z-]+)', '(\\d{4}-\\d\\d-\\d\\d)', '((?:[^']|'')*)'\\)", Pattern.MULTILINE);

    private Seeds() {
    }

    public static String migration(String file) {
        try (InputStream in = Seeds.class.getResourceAsStream("/db/migration/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Holidays by region, each by date with its name. */
    public static Map<String, TreeMap<LocalDate, String>> holidays() {
        Map<String, TreeMap<LocalDate, String>> all = new HashMap<>();
        Matcher m = HOLIDAY.matcher(migration("V2__calendars.sql"));
        while (m.find()) {
            String previous = all.computeIfAbsent(m.group(1), r -> new TreeMap<>())
                    .put(LocalDate.parse(m.group(2)), m.group(3).replace("''", "'"));
            if (previous != null) {
                throw new AssertionError("holiday " + m.group(1) + " " + m.group(2) + " seeded twice");
            }
        }
        return all;
    }

    /** A seeded calendar, built as the service builds it. */
    public static BusinessCalendar calendar(String name) {
        String sql = migration("V2__calendars.sql");
        Matcher c = CALENDAR.matcher(sql);
        while (c.find()) {
            if (!c.group(1).equals(name)) {
                continue;
            }
            Map<DayOfWeek, BusinessCalendar.WorkingDay> hours = new EnumMap<>(DayOfWeek.class);
            Matcher h = HOURS.matcher(sql);
            while (h.find()) {
                if (h.group(1).equals(name)) {
                    hours.put(DayOfWeek.of(Integer.parseInt(h.group(2))), BusinessCalendar.WorkingDay.parse(h.group(3), h.group(4)));
                }
            }
            TreeMap<LocalDate, String> holidays = holidays().getOrDefault(c.group(3), new TreeMap<>());
            return new BusinessCalendar(name, ZoneId.of(c.group(2)), hours, holidays.keySet());
        }
        throw new AssertionError("calendar " + name + " is not seeded");
    }
}
