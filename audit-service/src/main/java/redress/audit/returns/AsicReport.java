package redress.audit.returns;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/**
 * ASIC's internal dispute resolution data report (RG 271) for one period: one row per complaint
 * received in the period, not closed at its start, or reopened in it, from the log's events alone, as
 * docs/returns.md ("ASIC IDR data report") defines it.
 */
public final class AsicReport {

    /**
     * {@code asic-idr/2}: a redress line counts at its {@code occurredAt} (when it was paid), else its
     * {@code recordedAt}, as in {@code fca-return/3} ({@code asic-idr/1} read {@code recordedAt} only).
     */
    public static final String VERSION = "asic-idr/2";

    public static final ZoneId ZONE = ZoneId.of("Australia/Sydney");
    public static final List<String> PROFILES =
            List.of("AU_ASIC_RG271", "AU_ASIC_RG271_SUPER", "AU_ASIC_RG271_HARDSHIP", "AU_ASIC_RG271_DEFAULT_NOTICE");
    /** The currency whose payments are the report's financial compensation. */
    public static final String CURRENCY = "AUD";
    /** The CSV's columns, in order. */
    public static final List<String> COLUMNS = List.of(
            "COMPLAINT_ID",
            "DATE_RECEIVED",
            "CHANNEL",
            "STATUS",
            "DATE_CLOSED",
            "DAYS_TO_CLOSE",
            "PRODUCT",
            "ISSUE",
            "OUTCOME",
            "COMPENSATION_PAID_AUD");

    /**
     * One complaint's row; empty strings where the complaint has no value. (No "is" getters: Jackson
     * would otherwise also write {@code issue()} as a property {@code sue}.)
     */
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public record Row(
            String complaintId,
            String dateReceived,
            String channel,
            String status,
            String dateClosed,
            String daysToClose,
            String product,
            String issue,
            String outcome,
            String compensationPaidAud) {

        List<String> values() {
            return List.of(
                    complaintId,
                    dateReceived,
                    channel,
                    status,
                    dateClosed,
                    daysToClose,
                    product,
                    issue,
                    outcome,
                    compensationPaidAud);
        }
    }

    private AsicReport() {}

    public static List<Row> compute(List<FcaReturn.Event> events, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(ZONE).toInstant();
        Instant end = to.atStartOfDay(ZONE).toInstant();
        Map<String, String> productOf = new HashMap<>();
        Map<String, String> issueOf = new HashMap<>();
        Map<String, List<FcaReturn.Event>> byCase = new LinkedHashMap<>();
        for (FcaReturn.Event e : events) {
            if (e.type().equals("redress.taxonomy.changed")) {
                e.data()
                        .path("productGroups")
                        .forEach(g -> productOf.put(
                                g.path("code").asText(), g.path("asicProduct").asText()));
                e.data()
                        .path("rootCauses")
                        .forEach(c -> issueOf.put(
                                c.path("code").asText(), c.path("asicIssue").asText()));
            } else {
                byCase.computeIfAbsent(e.subject(), k -> new ArrayList<>()).add(e);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<FcaReturn.Event>> c : byCase.entrySet()) {
            Row r = row(c.getKey(), c.getValue(), start, end, productOf, issueOf);
            if (r != null) {
                rows.add(r);
            }
        }
        rows.sort(Comparator.comparing(Row::dateReceived).thenComparing(Row::complaintId));
        return rows;
    }

    private static Row row(
            String caseId,
            List<FcaReturn.Event> events,
            Instant start,
            Instant end,
            Map<String, String> productOf,
            Map<String, String> issueOf) {
        FcaReturn.Event received = events.stream()
                .filter(e -> e.type().equals("redress.complaint.received"))
                .findFirst()
                .orElse(null);
        if (received == null) {
            return null;
        }
        Instant receivedAt = FcaReturn.businessTime(received);
        if (!receivedAt.isBefore(end)) {
            return null;
        }
        String profile = null;
        String group = null;
        FcaReturn.Event settledAtStart = null;
        FcaReturn.Event settledAtEnd = null;
        boolean reopenedInPeriod = false;
        long paid = 0;
        for (FcaReturn.Event e : events) {
            Instant t = FcaReturn.businessTime(e);
            boolean beforeEnd = t.isBefore(end);
            switch (e.type()) {
                case "redress.complaint.received" -> {
                    if (beforeEnd) {
                        profile = FcaReturn.text(e.data(), "regulatoryProfile");
                    }
                }
                case "redress.case.reclassified" -> {
                    if (beforeEnd) {
                        profile = FcaReturn.text(e.data(), "profile");
                        group = FcaReturn.text(e.data(), "productGroup");
                    }
                }
                case "redress.case.resolved" -> {
                    if (beforeEnd) {
                        settledAtEnd = e;
                        String g = FcaReturn.text(e.data(), "productGroup");
                        group = g == null ? group : g;
                    }
                    if (t.isBefore(start)) {
                        settledAtStart = e;
                    }
                }
                case "redress.case.reopened" -> {
                    if (beforeEnd) {
                        settledAtEnd = null;
                    }
                    if (t.isBefore(start)) {
                        settledAtStart = null;
                    } else if (beforeEnd) {
                        reopenedInPeriod = true;
                    }
                }
                case "redress.redress.recorded" -> {
                    if (beforeEnd
                            && "PAID".equals(FcaReturn.text(e.data(), "stage"))
                            && CURRENCY.equals(FcaReturn.text(e.data(), "currency"))) {
                        paid += e.data().path("amountMinor").asLong();
                    }
                }
                default -> {}
            }
        }
        if (!PROFILES.contains(profile)) {
            return null;
        }
        boolean inPeriod = !receivedAt.isBefore(start);
        boolean openAtStart = receivedAt.isBefore(start) && settledAtStart == null;
        if (!inPeriod && !openAtStart && !reopenedInPeriod) {
            return null;
        }
        LocalDate receivedDay = receivedAt.atZone(ZONE).toLocalDate();
        LocalDate closedDay = settledAtEnd == null
                ? null
                : FcaReturn.businessTime(settledAtEnd).atZone(ZONE).toLocalDate();
        String rootCause = settledAtEnd == null ? null : FcaReturn.text(settledAtEnd.data(), "rootCause");
        String outcome = settledAtEnd == null ? null : FcaReturn.text(settledAtEnd.data(), "outcome");
        return new Row(
                caseId,
                receivedDay.toString(),
                orEmpty(FcaReturn.text(received.data(), "channel")),
                settledAtEnd == null ? "OPEN" : "CLOSED",
                closedDay == null ? "" : closedDay.toString(),
                closedDay == null ? "" : Long.toString(ChronoUnit.DAYS.between(receivedDay, closedDay)),
                group == null ? "" : orEmpty(productOf.get(group)),
                rootCause == null ? "" : orEmpty(issueOf.get(rootCause)),
                orEmpty(outcome),
                paid == 0 ? "" : BigDecimal.valueOf(paid, 2).toPlainString());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The report as CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, quote or line end). */
    public static String csv(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Row r : rows) {
            out.append(String.join(
                            ",", r.values().stream().map(AsicReport::field).toList()))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static String field(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\r") || v.contains("\n")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
