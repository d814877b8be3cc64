package redress.followup.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The calendars and holidays the migrations seed (V2, V4, and any later one), read from their
 * text (one row a line), so the worked examples test the seeded data: a wrong row fails them.
 * Only {@code INSERT INTO} the calendar tables is understood; a migration that deletes or updates
 * holidays, hours or calendars (other than their revision) fails the tests until this class reads it.
 */
public final class Seeds {

    private static final Pattern FILE = Pattern.compile("V(\\d+)__.*\\.sql");
    private static final Pattern STATEMENT = Pattern.compile(
            "^INSERT INTO (holiday|calendar|calendar_hours|holiday_region_include) \\(.*?;[ \\t]*$",
            Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern UNREAD = Pattern.compile(
            "^\\s*(DELETE FROM (holiday|calendar|calendar_hours|holiday_region_include)\\b"
                    + "|UPDATE (holiday|calendar_hours|holiday_region_include)\\b"
                    + "|UPDATE calendar SET (?!revision = nextval\\('calendar_revision'\\) WHERE))",
            Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    private static final Pattern CALENDAR =
            Pattern.compile("^\\('([A-Z-]+)', '([A-Za-z_/]+)', '([A-Z-]+)', nextval", Pattern.MULTILINE);
    private static final Pattern HOURS =
            Pattern.compile("^\\('([A-Z-]+)', ([1-7]), '(\\d\\d:\\d\\d)', '(\\d\\d:\\d\\d)'\\)", Pattern.MULTILINE);
    private static final Pattern HOLIDAY =
            Pattern.compile("^\\('([A-Z-]+)', '(\\d{4}-\\d\\d-\\d\\d)', '((?:[^']|'')*)'\\)", Pattern.MULTILINE);
    private static final Pattern INCLUDE = Pattern.compile("^\\('([A-Z-]+)', '([A-Z-]+)'\\)", Pattern.MULTILINE);

    /** What the migrations insert, in version order. */
    private record Seeded(
            Map<String, String[]> calendars,
            Map<String, Map<DayOfWeek, BusinessCalendar.WorkingDay>> hours,
            Map<String, TreeMap<LocalDate, String>> holidays,
            Map<String, Set<String>> includes) {}

    private static Seeded seeded;

    private Seeds() {}

    public static String migration(String file) {
        try (InputStream in = Seeds.class.getResourceAsStream("/db/migration/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no migration " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The migration files, in version order. */
    public static List<String> migrations() {
        URL dir = Seeds.class.getResource("/db/migration");
        if (dir == null || !"file".equals(dir.getProtocol())) {
            throw new IllegalStateException("the migrations are not a directory on the test class path: " + dir);
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> FILE.matcher(f).matches())
                    .sorted(Comparator.comparingInt(f -> {
                        Matcher m = FILE.matcher(f);
                        m.matches();
                        return Integer.parseInt(m.group(1));
                    }))
                    .toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Seeded seeded() {
        if (seeded != null) {
            return seeded;
        }
        Map<String, String[]> calendars = new HashMap<>();
        Map<String, Map<DayOfWeek, BusinessCalendar.WorkingDay>> hours = new HashMap<>();
        Map<String, TreeMap<LocalDate, String>> holidays = new HashMap<>();
        Map<String, Set<String>> includes = new HashMap<>();
        for (String file : migrations()) {
            String sql = migration(file);
            Matcher unread = UNREAD.matcher(sql);
            if (unread.find()) {
                throw new AssertionError(file + " changes calendar data in a way Seeds does not read: "
                        + unread.group().strip());
            }
            Matcher s = STATEMENT.matcher(sql);
            while (s.find()) {
                String statement = s.group();
                switch (s.group(1)) {
                    case "calendar" -> {
                        Matcher c = CALENDAR.matcher(statement);
                        while (c.find()) {
                            if (calendars.put(c.group(1), new String[] {c.group(2), c.group(3)}) != null) {
                                throw new AssertionError(file + ": calendar " + c.group(1) + " seeded twice");
                            }
                        }
                    }
                    case "calendar_hours" -> {
                        Matcher h = HOURS.matcher(statement);
                        while (h.find()) {
                            if (hours.computeIfAbsent(h.group(1), n -> new EnumMap<>(DayOfWeek.class))
                                            .put(
                                                    DayOfWeek.of(Integer.parseInt(h.group(2))),
                                                    BusinessCalendar.WorkingDay.parse(h.group(3), h.group(4)))
                                    != null) {
                                throw new AssertionError(
                                        file + ": hours of " + h.group(1) + " weekday " + h.group(2) + " seeded twice");
                            }
                        }
                    }
                    case "holiday" -> {
                        Matcher h = HOLIDAY.matcher(statement);
                        while (h.find()) {
                            String previous = holidays.computeIfAbsent(h.group(1), r -> new TreeMap<>())
                                    .put(LocalDate.parse(h.group(2)), h.group(3).replace("''", "'"));
                            if (previous != null) {
                                throw new AssertionError(
                                        file + ": holiday " + h.group(1) + " " + h.group(2) + " seeded twice");
                            }
                        }
                    }
                    case "holiday_region_include" -> {
                        Matcher i = INCLUDE.matcher(statement);
                        while (i.find()) {
                            includes.computeIfAbsent(i.group(1), r -> new LinkedHashSet<>())
                                    .add(i.group(2));
                        }
                    }
                    default -> throw new IllegalStateException(s.group(1));
                }
            }
        }
        seeded = new Seeded(calendars, hours, holidays, includes);
        return seeded;
    }

    /** Each region's own holidays (not those of regions it includes), by date with its name. */
    public static Map<String, TreeMap<LocalDate, String>> holidays() {
        Map<String, TreeMap<LocalDate, String>> copy = new HashMap<>();
        seeded().holidays().forEach((r, days) -> copy.put(r, new TreeMap<>(days)));
        return copy;
    }

    /** The regions each region includes directly. */
    public static Map<String, Set<String>> includes() {
        return Map.copyOf(seeded().includes());
    }

    /** The region and every region it includes, at any depth. */
    public static Set<String> closure(String region) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(region));
        while (!todo.isEmpty()) {
            String r = todo.pop();
            if (all.add(r)) {
                todo.addAll(seeded().includes().getOrDefault(r, Set.of()));
            }
        }
        return all;
    }

    /** Every holiday a calendar of this region is closed on: its own and those of the regions it includes. */
    public static TreeMap<LocalDate, String> regionHolidays(String region) {
        TreeMap<LocalDate, String> all = new TreeMap<>();
        List<String> regions = new ArrayList<>(closure(region));
        for (String r : regions) {
            seeded().holidays().getOrDefault(r, new TreeMap<>()).forEach(all::putIfAbsent);
        }
        return all;
    }

    /** The names of the seeded calendars. */
    public static Set<String> calendars() {
        return new TreeSet<>(seeded().calendars().keySet());
    }

    /** The region of a seeded calendar. */
    public static String region(String calendar) {
        String[] c = seeded().calendars().get(calendar);
        if (c == null) {
            throw new AssertionError("calendar " + calendar + " is not seeded");
        }
        return c[1];
    }

    /** A seeded calendar, built as the service builds it. */
    public static BusinessCalendar calendar(String name) {
        String[] c = seeded().calendars().get(name);
        if (c == null) {
            throw new AssertionError("calendar " + name + " is not seeded");
        }
        return new BusinessCalendar(
                name,
                ZoneId.of(c[0]),
                seeded().hours().getOrDefault(name, Map.of()),
                regionHolidays(c[1]).keySet());
    }
}
