package redress.audit.returns;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The figures of the FCA complaints return (DISP 1 Annex 1R) for one period, from the log's events
 * alone, as docs/returns.md defines them. A pure function of the events it is given: the caller
 * chooses which (every entry up to a signed checkpoint).
 */
public final class FcaReturn {

    /** The event types the return reads. */
    public static final List<String> TYPES = List.of(
            "redress.complaint.received",
            "redress.case.reclassified",
            "redress.case.resolved",
            "redress.case.reopened",
            "redress.redress.recorded",
            "redress.taxonomy.changed");

    /** One logged event: its entry's seq, the CloudEvent's type, subject and time, and its data. */
    public record Event(long seq, String type, String subject, Instant time, JsonNode data) {}

    /** One row of the return: a product/service grouping, or the totals. */
    public record Row(
            String productGroup,
            long outstandingAtStart,
            long opened,
            long closed,
            long closedWithin3BusinessDays,
            long closedAfter3BusinessDaysWithin8Weeks,
            long closedAfter8Weeks,
            long upheld,
            long upheldInFull,
            long upheldInPart,
            long notUpheld,
            long closedWithoutOutcome,
            long outstandingAtEnd,
            Map<String, Long> redressPaidMinor) {}

    private static final class Counts {
        final long[] n = new long[12];
        final Map<String, Long> redress = new TreeMap<>();

        Row row(String group) {
            return new Row(group, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10], n[11], redress);
        }

        void add(Counts o) {
            for (int i = 0; i < n.length; i++) {
                n[i] += o.n[i];
            }
            o.redress.forEach((k, v) -> redress.merge(k, v, Long::sum));
        }
    }

    private FcaReturn() {}

    /**
     * The rows (every grouping of {@link FcaDefinitions#ROWS}, in that order) and, last, the totals
     * ({@code productGroup} {@code "TOTAL"}), for the period [{@code from}, {@code to}) in
     * {@link FcaDefinitions#ZONE}.
     */
    public static List<Row> compute(List<Event> events, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(FcaDefinitions.ZONE).toInstant();
        Instant end = to.atStartOfDay(FcaDefinitions.ZONE).toInstant();
        Map<String, String> fcaGroupOf = new HashMap<>();
        Map<String, List<Event>> byCase = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.type().equals("redress.taxonomy.changed")) {
                for (JsonNode g : e.data().path("productGroups")) {
                    fcaGroupOf.put(
                            g.path("code").asText(), g.path("fcaProductGroup").asText());
                }
            } else {
                byCase.computeIfAbsent(e.subject(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Counts> rows = new LinkedHashMap<>();
        FcaDefinitions.ROWS.forEach(r -> rows.put(r, new Counts()));
        for (List<Event> caseEvents : byCase.values()) {
            count(caseEvents, start, end, fcaGroupOf, rows);
        }
        List<Row> out = new ArrayList<>();
        Counts total = new Counts();
        rows.forEach((group, counts) -> {
            out.add(counts.row(group));
            total.add(counts);
        });
        out.add(total.row("TOTAL"));
        return out;
    }

    private static void count(
            List<Event> events, Instant start, Instant end, Map<String, String> fcaGroupOf, Map<String, Counts> rows) {
        Event received = events.stream()
                .filter(e -> e.type().equals("redress.complaint.received"))
                .findFirst()
                .orElse(null);
        if (received == null) {
            return; // not a complaint the log saw arrive
        }
        Instant receivedAt = at(received, "receivedAt");
        if (!receivedAt.isBefore(end)) {
            return;
        }
        // The classification as it stood at the end of the period.
        String profile = null;
        String productGroup = null;
        for (Event e : events) {
            if (!businessTime(e).isBefore(end)) {
                continue;
            }
            switch (e.type()) {
                case "redress.complaint.received" -> profile = text(e.data(), "regulatoryProfile");
                case "redress.case.reclassified" -> {
                    profile = text(e.data(), "profile");
                    productGroup = text(e.data(), "productGroup");
                }
                case "redress.case.resolved" -> {
                    String g = text(e.data(), "productGroup");
                    if (g != null) {
                        productGroup = g;
                    }
                }
                default -> {}
            }
        }
        if (!FcaDefinitions.PROFILES.contains(profile)) {
            return;
        }
        Counts c =
                rows.get(productGroup == null ? "UNCLASSIFIED" : fcaGroupOf.getOrDefault(productGroup, "UNCLASSIFIED"));
        if (receivedAt.isBefore(start) && lastResolutionIfSettled(events, start) == null) {
            c.n[0]++; // outstanding at the start
        }
        if (!receivedAt.isBefore(start)) {
            c.n[1]++; // opened
        }
        Event closing = lastResolutionIfSettled(events, end);
        if (closing == null) {
            c.n[11]++; // outstanding at the end
        } else if (!businessTime(closing).isBefore(start)) {
            c.n[2]++; // closed
            Instant resolvedAt = businessTime(closing);
            if (!resolvedAt.isAfter(FcaDefinitions.closeOfThirdBusinessDay(receivedAt))) {
                c.n[3]++;
            } else if (!resolvedAt.isAfter(FcaDefinitions.endOfEightWeeks(receivedAt))) {
                c.n[4]++;
            } else {
                c.n[5]++;
            }
            switch (String.valueOf(text(closing.data(), "outcome"))) {
                case "UPHELD" -> {
                    c.n[6]++;
                    c.n[7]++;
                }
                case "PARTLY_UPHELD" -> {
                    c.n[6]++;
                    c.n[8]++;
                }
                case "NOT_UPHELD" -> c.n[9]++;
                default -> c.n[10]++;
            }
        }
        for (Event e : events) {
            Instant t = businessTime(e);
            if (e.type().equals("redress.redress.recorded")
                    && "PAID".equals(text(e.data(), "stage"))
                    && !t.isBefore(start)
                    && t.isBefore(end)) {
                c.redress.merge(
                        e.data().path("currency").asText(),
                        e.data().path("amountMinor").asLong(),
                        Long::sum);
            }
        }
    }

    /**
     * The resolution that settles the case at {@code at}: its last resolution before then, unless a
     * reopening came after it (before then); null when the case is open at {@code at}.
     */
    private static Event lastResolutionIfSettled(List<Event> events, Instant at) {
        Event settled = null;
        for (Event e : events) {
            if (!businessTime(e).isBefore(at)) {
                continue;
            }
            if (e.type().equals("redress.case.resolved")) {
                settled = e;
            } else if (e.type().equals("redress.case.reopened")) {
                settled = null;
            }
        }
        return settled;
    }

    /**
     * When the event happened for the return: the receipt, the resolution, the redress line (when it
     * was paid, else when it was recorded); else the event's time.
     */
    static Instant businessTime(Event e) {
        return switch (e.type()) {
            case "redress.complaint.received" -> at(e, "receivedAt");
            case "redress.case.resolved" -> at(e, "resolvedAt");
            case "redress.redress.recorded" -> at(e, "occurredAt", "recordedAt");
            default -> e.time();
        };
    }

    /**
     * The first of {@code fields} the event's data holds as a time, as an instant; else the event's
     * time. A field that is not a string holding an RFC 3339 time (another producer's event, logged
     * as sent) counts as absent: it neither stops a return nor moves an event out of its period by a
     * guess.
     */
    private static Instant at(Event e, String... fields) {
        for (String field : fields) {
            String s = text(e.data(), field);
            if (s != null) {
                try {
                    return Instant.parse(s);
                } catch (DateTimeParseException notATime) {
                    // absent, as documented: the next field, or the event's time
                }
            }
        }
        return e.time();
    }

    static String text(JsonNode data, String field) {
        JsonNode n = data.path(field);
        return n.isTextual() ? n.asText() : null;
    }
}
