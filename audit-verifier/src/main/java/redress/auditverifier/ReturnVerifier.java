package redress.auditverifier;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Recomputes a regulator's complaints return from an audit export, written from docs/returns.md
 * and docs/audit-log.md alone (no code of audit-service): the export must verify, the return's
 * checkpoint must be signed by the trusted key and sign the export's chain at its seq, and every
 * figure recomputed from the export's entries up to that seq must equal the return's.
 */
public final class ReturnVerifier {

    /** What the check found: the figures recomputed (row name to figure name to value) and every problem. */
    public record Result(Map<String, Map<String, Object>> recomputed, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final List<String> COUNTS = List.of(
            "outstandingAtStart",
            "opened",
            "closed",
            "closedWithin3BusinessDays",
            "closedAfter3BusinessDaysWithin8Weeks",
            "closedAfter8Weeks",
            "upheld",
            "upheldInFull",
            "upheldInPart",
            "notUpheld",
            "closedWithoutOutcome",
            "outstandingAtEnd");

    private ReturnVerifier() {}

    /**
     * From the command line: {@code ReturnVerifier <export.ndjson> <return.json> <public-key.pem>}
     * (the export from {@code GET /audit/export}, the return from {@code GET /returns/{id}}, the
     * key from {@code GET /audit/public-key}, kept by the auditor). Prints whether every figure
     * matches and each problem; exits 0 when the return holds, 1 when it does not, 2 on bad usage.
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** {@link #main} without the exit: the exit code. */
    public static int run(String[] args, PrintStream out) throws Exception {
        if (args.length != 3) {
            out.println("usage: ReturnVerifier <export.ndjson> <return.json> <public-key.pem>");
            return 2;
        }
        String export = Files.readString(Path.of(args[0]));
        String ret = Files.readString(Path.of(args[1]));
        PublicKey key = AuditExportVerifier.publicKey(Files.readString(Path.of(args[2])));
        Result r = verify(export, ret, key);
        JsonNode parsed = JSON.readTree(ret);
        if (r.ok()) {
            out.println("OK: every figure of the " + parsed.path("family").asText() + " return for "
                    + parsed.path("from").asText() + " to " + parsed.path("to").asText()
                    + " matches the log up to the signed checkpoint at entry "
                    + parsed.path("checkpoint").path("seq").asText());
            return 0;
        }
        out.println("REFUSED: " + r.problems().size() + " problem(s)");
        r.problems().forEach(p -> out.println("  " + p));
        return 1;
    }

    public static Result verify(String exportNdjson, String returnJson, PublicKey trustedKey) throws Exception {
        List<String> problems = new ArrayList<>();
        AuditExportVerifier.Result export = AuditExportVerifier.verify(exportNdjson, trustedKey);
        export.problems().forEach(p -> problems.add("export: " + p));

        JsonNode ret = JSON.readTree(returnJson);
        JsonNode cp = ret.path("checkpoint");
        long cpSeq = cp.path("seq").asLong();

        // The entries, their chain hashes, by seq.
        Map<Long, String> chainAt = new HashMap<>();
        List<JsonNode> entries = new ArrayList<>();
        for (String line : exportNdjson.split("\n")) {
            JsonNode l = JSON.readTree(line);
            if ("header".equals(l.path("kind").asText()) && l.path("firstSeq").asLong(1) != 1) {
                problems.add("the export does not start at entry 1: a return counts every case from the start");
            }
            if ("entry".equals(l.path("kind").asText())) {
                long seq = l.path("seq").asLong();
                chainAt.put(seq, l.path("chainHash").asText());
                if (seq <= cpSeq) {
                    entries.add(JSON.readTree(l.path("canonical").asText().getBytes(StandardCharsets.UTF_8)));
                }
            }
        }

        // The checkpoint the return was computed at.
        String statement = new JsonCanonicalizer(JSON.writeValueAsString(Map.of(
                        "seq", cpSeq,
                        "chainHash", cp.path("chainHash").asText(),
                        "time", cp.path("time").asText(),
                        "keyId", cp.path("keyId").asText())))
                .getEncodedString();
        if (!statement.equals(cp.path("statement").asText())) {
            problems.add("the return's checkpoint: its statement does not match its fields");
        }
        Signature sig = Signature.getInstance("Ed25519");
        sig.initVerify(trustedKey);
        sig.update(cp.path("statement").asText().getBytes(StandardCharsets.UTF_8));
        if (!sig.verify(Base64.getDecoder().decode(cp.path("signature").asText()))) {
            problems.add("the return's checkpoint " + cpSeq + ": the signature does not verify with the trusted key");
        }
        if (!chainAt.containsKey(cpSeq)) {
            problems.add("the export does not reach the return's checkpoint at entry " + cpSeq);
        } else if (!chainAt.get(cpSeq).equals(cp.path("chainHash").asText())) {
            problems.add("the export's chain at entry " + cpSeq
                    + " is not the one the return's checkpoint signed: the entries were changed");
        }

        String version = ret.path("definitions").path("version").asText();
        if ("ASIC_IDR".equals(ret.path("family").asText())) {
            if (!List.of("asic-idr/1", "asic-idr/2").contains(version)) {
                problems.add("the report's definitions version " + version + " is not one this verifier knows");
                return new Result(Map.of(), problems);
            }
            List<Map<String, String>> mine = recomputeAsic(entries, ret);
            List<Map<String, String>> theirs = new ArrayList<>();
            for (JsonNode row : ret.path("complaints")) {
                Map<String, String> m = new LinkedHashMap<>();
                row.fields()
                        .forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
                theirs.add(m);
            }
            if (mine.size() != theirs.size()) {
                problems.add("the report has " + theirs.size() + " complaints, the log gives " + mine.size());
            }
            for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
                if (!mine.get(i).equals(theirs.get(i))) {
                    problems.add("complaint row " + (i + 1) + ": the report says " + theirs.get(i) + ", the log gives "
                            + mine.get(i));
                }
            }
            Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
            mine.forEach(m -> byId.put(m.get("complaintId"), new LinkedHashMap<>(m)));
            return new Result(byId, problems);
        }
        if (!List.of("fca-return/1", "fca-return/2", "fca-return/3").contains(version)) {
            problems.add("the return's definitions version " + version + " is not one this verifier knows");
            return new Result(Map.of(), problems);
        }
        if (!version.equals("fca-return/1")
                && !ret.path("definitions").path("closeOfBusiness").asText().matches("\\d{2}:\\d{2}(:\\d{2})?")) {
            problems.add("the return's definitions (" + version + ") have no closeOfBusiness time");
            return new Result(Map.of(), problems);
        }
        Map<String, Map<String, Object>> recomputed = recompute(entries, ret);
        for (JsonNode row : ret.path("rows")) {
            String name = row.path("productGroup").asText();
            Map<String, Object> mine = recomputed.get(name);
            if (mine == null) {
                problems.add("row " + name + " is not a row of the return");
                continue;
            }
            for (String f : COUNTS) {
                if (row.path(f).asLong() != (Long) mine.get(f)) {
                    problems.add(name + "." + f + ": the return says "
                            + row.path(f).asLong() + ", the log gives " + mine.get(f));
                }
            }
            Map<String, Long> paid = new TreeMap<>();
            row.path("redressPaidMinor")
                    .fields()
                    .forEachRemaining(e -> paid.put(e.getKey(), e.getValue().asLong()));
            if (!paid.equals(mine.get("redressPaidMinor"))) {
                problems.add(name + ".redressPaidMinor: the return says " + paid + ", the log gives "
                        + mine.get("redressPaidMinor"));
            }
        }
        if (ret.path("rows").size() != recomputed.size()) {
            problems.add("the return has " + ret.path("rows").size() + " rows, the definitions " + recomputed.size());
        }
        return new Result(recomputed, problems);
    }

    /** A case as the return sees it, built by reading its events in log order. */
    private static final class Case {
        Instant receivedAt;
        final List<JsonNode> events = new ArrayList<>();
    }

    private static Map<String, Map<String, Object>> recompute(List<JsonNode> entries, JsonNode ret) throws Exception {
        JsonNode defs = ret.path("definitions");
        ZoneId zone = ZoneId.of(ret.path("zone").asText());
        Instant start =
                LocalDate.parse(ret.path("from").asText()).atStartOfDay(zone).toInstant();
        Instant end =
                LocalDate.parse(ret.path("to").asText()).atStartOfDay(zone).toInstant();
        Set<String> profiles = new HashSet<>();
        defs.path("profiles").forEach(p -> profiles.add(p.asText()));
        Set<DayOfWeek> weekend = new HashSet<>();
        defs.path("weekend").forEach(d -> weekend.add(DayOfWeek.valueOf(d.asText())));
        Set<LocalDate> holidays = new HashSet<>();
        defs.path("holidays").forEach(d -> holidays.add(LocalDate.parse(d.asText())));
        // fca-return/1 compared the resolution's day with the third business day, and its time with
        // 56 x 24 hours after receipt; fca-return/2 ends the first at the close of business on that
        // day, the second at the end of the day eight weeks after the day of receipt.
        boolean byDays = "fca-return/1".equals(defs.path("version").asText());
        LocalTime closeOfBusiness =
                byDays ? null : LocalTime.parse(defs.path("closeOfBusiness").asText());

        Map<String, String> groupRow = new HashMap<>();
        Map<String, Case> cases = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            JsonNode envelope = entry.path("envelope");
            if (envelope.isTextual()) {
                envelope = JSON.readTree(envelope.asText());
            }
            String type = entry.path("type").asText();
            JsonNode data = envelope.path("data");
            if (type.equals("redress.taxonomy.changed")) {
                data.path("productGroups")
                        .forEach(g -> groupRow.put(
                                g.path("code").asText(),
                                g.path("fcaProductGroup").asText()));
                continue;
            }
            if (!type.startsWith("redress.")) {
                continue;
            }
            Case c = cases.computeIfAbsent(entry.path("caseId").asText(), k -> new Case());
            c.events.add(
                    timed((ObjectNode) data, type, entry, defs.path("version").asText()));
            if (type.equals("redress.complaint.received") && c.receivedAt == null) {
                c.receivedAt = when(data);
            }
        }

        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (String r : List.of(
                "BANKING_AND_CREDIT_CARDS",
                "HOME_FINANCE",
                "INSURANCE_AND_PURE_PROTECTION",
                "DECUMULATION_AND_PENSIONS",
                "INVESTMENTS",
                "UNCLASSIFIED",
                "TOTAL")) {
            Map<String, Object> figures = new LinkedHashMap<>();
            COUNTS.forEach(f -> figures.put(f, 0L));
            figures.put("redressPaidMinor", new TreeMap<String, Long>());
            rows.put(r, figures);
        }
        for (Case c : cases.values()) {
            if (c.receivedAt == null || !c.receivedAt.isBefore(end)) {
                continue;
            }
            String profile = null;
            String group = null;
            JsonNode settledAtStart = null;
            JsonNode settledAtEnd = null;
            for (JsonNode e : c.events) {
                Instant t = when(e);
                String type = e.path("_type").asText();
                boolean beforeEnd = t.isBefore(end);
                boolean beforeStart = t.isBefore(start);
                if (type.equals("redress.complaint.received") && beforeEnd) {
                    profile = e.path("regulatoryProfile").asText(null);
                } else if (type.equals("redress.case.reclassified") && beforeEnd) {
                    profile = e.path("profile").asText(null);
                    group = e.path("productGroup").isTextual()
                            ? e.path("productGroup").asText()
                            : null;
                } else if (type.equals("redress.case.resolved")) {
                    if (beforeEnd && e.path("productGroup").isTextual()) {
                        group = e.path("productGroup").asText();
                    }
                    if (beforeEnd) {
                        settledAtEnd = e;
                    }
                    if (beforeStart) {
                        settledAtStart = e;
                    }
                } else if (type.equals("redress.case.reopened")) {
                    if (beforeEnd) {
                        settledAtEnd = null;
                    }
                    if (beforeStart) {
                        settledAtStart = null;
                    }
                }
            }
            if (!profiles.contains(profile)) {
                continue;
            }
            String row = group != null && groupRow.containsKey(group) ? groupRow.get(group) : "UNCLASSIFIED";
            List<String> add = new ArrayList<>();
            if (c.receivedAt.isBefore(start) && settledAtStart == null) {
                add.add("outstandingAtStart");
            }
            if (!c.receivedAt.isBefore(start)) {
                add.add("opened");
            }
            if (settledAtEnd == null) {
                add.add("outstandingAtEnd");
            } else if (!when(settledAtEnd).isBefore(start)) {
                add.add("closed");
                Instant resolved = when(settledAtEnd);
                LocalDate limit = c.receivedAt.atZone(zone).toLocalDate();
                for (int businessDays = 0; businessDays < 3; ) {
                    limit = limit.plusDays(1);
                    if (!weekend.contains(limit.getDayOfWeek()) && !holidays.contains(limit)) {
                        businessDays++;
                    }
                }
                boolean within3 = byDays
                        ? !resolved.atZone(zone).toLocalDate().isAfter(limit)
                        : !resolved.isAfter(
                                limit.atTime(closeOfBusiness).atZone(zone).toInstant());
                boolean within8 = byDays
                        ? !resolved.isAfter(c.receivedAt.plusSeconds(56L * 24 * 3600))
                        : !resolved.isAfter(c.receivedAt
                                .atZone(zone)
                                .toLocalDate()
                                .plusWeeks(8)
                                .plusDays(1)
                                .atStartOfDay(zone)
                                .toInstant());
                if (within3) {
                    add.add("closedWithin3BusinessDays");
                } else if (within8) {
                    add.add("closedAfter3BusinessDaysWithin8Weeks");
                } else {
                    add.add("closedAfter8Weeks");
                }
                String outcome = settledAtEnd.path("outcome").asText("");
                if (outcome.equals("UPHELD")) {
                    add.add("upheld");
                    add.add("upheldInFull");
                } else if (outcome.equals("PARTLY_UPHELD")) {
                    add.add("upheld");
                    add.add("upheldInPart");
                } else if (outcome.equals("NOT_UPHELD")) {
                    add.add("notUpheld");
                } else {
                    add.add("closedWithoutOutcome");
                }
            }
            for (String target : List.of(row, "TOTAL")) {
                Map<String, Object> figures = rows.get(target);
                add.forEach(f -> figures.merge(f, 1L, (a, b) -> (Long) a + (Long) b));
                @SuppressWarnings("unchecked")
                Map<String, Long> paid = (Map<String, Long>) figures.get("redressPaidMinor");
                for (JsonNode e : c.events) {
                    Instant t = when(e);
                    if (e.path("_type").asText().equals("redress.redress.recorded")
                            && e.path("stage").asText().equals("PAID")
                            && !t.isBefore(start)
                            && t.isBefore(end)) {
                        BigDecimal amount = e.path("amountMinor").decimalValue();
                        paid.merge(e.path("currency").asText(), amount.longValueExact(), Long::sum);
                    }
                }
            }
        }
        return rows;
    }

    /**
     * ASIC's IDR report: one row per complaint of the report's profiles (at the period's end) received
     * in the period, open at its start, or reopened in it (docs/returns.md, "ASIC IDR data report").
     */
    private static List<Map<String, String>> recomputeAsic(List<JsonNode> entries, JsonNode ret) throws Exception {
        ZoneId zone = ZoneId.of(ret.path("zone").asText());
        LocalDate fromDay = LocalDate.parse(ret.path("from").asText());
        LocalDate toDay = LocalDate.parse(ret.path("to").asText());
        Instant start = fromDay.atStartOfDay(zone).toInstant();
        Instant end = toDay.atStartOfDay(zone).toInstant();
        Set<String> profiles = new HashSet<>();
        ret.path("definitions").path("profiles").forEach(p -> profiles.add(p.asText()));
        Map<String, String> product = new HashMap<>();
        Map<String, String> issue = new HashMap<>();
        Map<String, List<JsonNode>> cases = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            JsonNode envelope = entry.path("envelope");
            if (envelope.isTextual()) {
                envelope = JSON.readTree(envelope.asText());
            }
            ObjectNode data = envelope.path("data").deepCopy();
            String type = entry.path("type").asText();
            if (type.equals("redress.taxonomy.changed")) {
                data.path("productGroups")
                        .forEach(g -> product.put(
                                g.path("code").asText(), g.path("asicProduct").asText()));
                data.path("rootCauses")
                        .forEach(c -> issue.put(
                                c.path("code").asText(), c.path("asicIssue").asText()));
                continue;
            }
            cases.computeIfAbsent(entry.path("caseId").asText(), k -> new ArrayList<>())
                    .add(timed(
                            data,
                            type,
                            entry,
                            ret.path("definitions").path("version").asText()));
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> c : cases.entrySet()) {
            JsonNode received = null;
            String profile = null;
            String group = null;
            JsonNode closing = null;
            boolean settledAtStart = false;
            boolean reopenedInPeriod = false;
            long paidCents = 0;
            for (JsonNode e : c.getValue()) {
                String type = e.path("_type").asText();
                Instant t = when(e);
                if (type.equals("redress.complaint.received") && received == null) {
                    received = e;
                }
                if (!t.isBefore(end)) {
                    continue;
                }
                switch (type) {
                    case "redress.complaint.received" ->
                        profile = e.path("regulatoryProfile").asText(null);
                    case "redress.case.reclassified" -> {
                        profile = e.path("profile").asText(null);
                        group = e.path("productGroup").isTextual()
                                ? e.path("productGroup").asText()
                                : null;
                    }
                    case "redress.case.resolved" -> {
                        closing = e;
                        if (e.path("productGroup").isTextual()) {
                            group = e.path("productGroup").asText();
                        }
                        if (t.isBefore(start)) {
                            settledAtStart = true;
                        }
                    }
                    case "redress.case.reopened" -> {
                        closing = null;
                        if (t.isBefore(start)) {
                            settledAtStart = false;
                        } else {
                            reopenedInPeriod = true;
                        }
                    }
                    case "redress.redress.recorded" -> {
                        if (e.path("stage").asText().equals("PAID")
                                && e.path("currency").asText().equals("AUD")) {
                            paidCents += e.path("amountMinor").asLong();
                        }
                    }
                    default -> {}
                }
            }
            if (received == null || !when(received).isBefore(end) || !profiles.contains(profile)) {
                continue;
            }
            Instant receivedAt = when(received);
            if (receivedAt.isBefore(start) && settledAtStart && !reopenedInPeriod) {
                continue; // closed before the period, and not reopened in it
            }
            LocalDate day = receivedAt.atZone(zone).toLocalDate();
            LocalDate closed =
                    closing == null ? null : when(closing).atZone(zone).toLocalDate();
            Map<String, String> row = new LinkedHashMap<>();
            row.put("complaintId", c.getKey());
            row.put("dateReceived", day.toString());
            row.put("channel", received.path("channel").asText(""));
            row.put("status", closing == null ? "OPEN" : "CLOSED");
            row.put("dateClosed", closed == null ? "" : closed.toString());
            row.put("daysToClose", closed == null ? "" : String.valueOf(closed.toEpochDay() - day.toEpochDay()));
            row.put("product", group == null ? "" : product.getOrDefault(group, ""));
            String cause = closing == null ? null : closing.path("rootCause").asText(null);
            row.put("issue", cause == null ? "" : issue.getOrDefault(cause, ""));
            row.put("outcome", closing == null ? "" : closing.path("outcome").asText(""));
            row.put(
                    "compensationPaidAud",
                    paidCents == 0
                            ? ""
                            : new BigDecimal(paidCents).movePointLeft(2).toPlainString());
            rows.add(row);
        }
        rows.sort((a, b) -> a.get("dateReceived").equals(b.get("dateReceived"))
                ? a.get("complaintId").compareTo(b.get("complaintId"))
                : a.get("dateReceived").compareTo(b.get("dateReceived")));
        return rows;
    }

    /** The definitions versions whose redress lines count at their {@code occurredAt}, when they have one. */
    private static final Set<String> REDRESS_AT_OCCURRENCE = Set.of("fca-return/3", "asic-idr/2");

    /**
     * An event's data with its type and entry time beside it, for {@link #when}. Under an earlier
     * version, which read a redress line's {@code recordedAt} only, its {@code occurredAt} is dropped.
     */
    private static ObjectNode timed(ObjectNode data, String type, JsonNode entry, String version) {
        data.put("_type", type);
        data.put("_time", entry.path("eventTime").asText());
        if (type.equals("redress.redress.recorded") && !REDRESS_AT_OCCURRENCE.contains(version)) {
            data.remove("occurredAt");
        }
        return data;
    }

    /** The time the return counts an event at (docs/returns.md, "Times"). */
    private static Instant when(JsonNode data) {
        List<String> fields = switch (data.path("_type").asText()) {
            case "redress.complaint.received" -> List.of("receivedAt");
            case "redress.case.resolved" -> List.of("resolvedAt");
            case "redress.redress.recorded" -> List.of("occurredAt", "recordedAt");
            default -> List.of();
        };
        for (String field : fields) {
            JsonNode own = data.path(field);
            if (own.isTextual()) {
                try {
                    return Instant.parse(own.asText());
                } catch (DateTimeParseException notATime) {
                    // counts as absent (docs/returns.md, "Times")
                }
            }
        }
        return Instant.parse(data.path("_time").asText());
    }
}
