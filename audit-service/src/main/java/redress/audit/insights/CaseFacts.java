package redress.audit.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.EventFormatException;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReclassified;
import redress.events.payload.CaseReopened;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.EscalationRaised;
import redress.support.db.DbText;

/**
 * What the stream filters and insights need to know about each case, kept up to date in the same
 * transaction as the log entries it comes from. Unlike the log, an ordinary table, and secondary:
 * an event it cannot apply is logged and counted ({@code redress.audit.projection.failures}) but
 * never keeps the entry out of the log.
 */
@ApplicationScoped
public class CaseFacts {

    private final Counter failures;

    public CaseFacts(MeterRegistry metrics) {
        this.failures = metrics.counter("redress.audit.projection.failures");
    }

    /**
     * Applies a batch's events, in their order, inside one savepoint of the append's transaction
     * ({@link #project}). If that fails, the savepoint is rolled back and each event is applied on
     * its own ({@link #applyIsolated}), the same way, so that only an event that cannot be applied
     * misses. The append holds the head lock, and nothing else writes the projection. Throws only
     * when a rollback fails (the connection is gone), and then the whole append is retried.
     */
    public void applyAll(Connection c, List<CaseEvent> events) throws SQLException {
        Savepoint before = null;
        try {
            List<CaseEvent> projected = new ArrayList<>();
            List<CasePayload> payloads = new ArrayList<>();
            for (CaseEvent e : events) {
                CasePayload p = projected(e);
                if (p != null) {
                    projected.add(e);
                    payloads.add(p);
                }
            }
            if (projected.isEmpty()) {
                return;
            }
            before = c.setSavepoint();
            project(c, projected, payloads);
            c.releaseSavepoint(before);
        } catch (SQLException | RuntimeException ex) {
            if (before != null) {
                c.rollback(before);
            }
            Log.debugf(
                    ex,
                    "case projection cannot apply a batch of %d events at once; applying them one by one",
                    events.size());
            for (CaseEvent e : events) {
                applyIsolated(c, e);
            }
        }
    }

    /**
     * The events' cases' rows read in one statement, the events folded into them here in order, and
     * the rows they changed written by one upsert: one event or a batch's, the same three steps.
     */
    private static void project(Connection c, List<CaseEvent> events, List<CasePayload> payloads) throws SQLException {
        Map<String, Row> rows = read(c, events);
        Map<String, Row> was = new HashMap<>(rows);
        for (int i = 0; i < events.size(); i++) {
            CaseEvent e = events.get(i);
            String caseId = DbText.of(e.subject());
            Row folded = fold(rows.get(caseId), e, payloads.get(i));
            if (folded != null) {
                rows.put(caseId, folded);
            }
        }
        List<Row> changed = new ArrayList<>();
        for (Row r : rows.values()) {
            if (!r.equals(was.get(r.caseId()))) {
                changed.add(r);
            }
        }
        write(c, changed);
    }

    /** A case's row in {@code case_projection}; {@code receivedAt} as PostgreSQL reads it. */
    private record Row(
            String caseId,
            String reference,
            String customer,
            String category,
            String product,
            String severity,
            String level,
            String receivedAt,
            boolean escalated,
            boolean reopened) {}

    private static final String COLUMNS =
            "case_id, reference, customer_id, category, product, severity, level, received_at, escalated, reopened";

    /** The rows the projection has of the events' cases, by case id. */
    private static Map<String, Row> read(Connection c, List<CaseEvent> events) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        for (CaseEvent e : events) {
            ids.add(DbText.of(e.subject()));
        }
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT case_id, reference, customer_id, category, product, "
                        + "severity, level, received_at::text, escalated, reopened FROM case_projection WHERE case_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = new Row(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getBoolean(9),
                            rs.getBoolean(10));
                    rows.put(r.caseId(), r);
                }
            }
        }
        return rows;
    }

    /** The rows written as one statement: inserted, or replacing what {@link #read} found. */
    private static void write(Connection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[][] text = new String[8][n];
        Boolean[] escalated = new Boolean[n];
        Boolean[] reopened = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            text[0][i] = r.caseId();
            text[1][i] = r.reference();
            text[2][i] = r.customer();
            text[3][i] = r.category();
            text[4][i] = r.product();
            text[5][i] = r.severity();
            text[6][i] = r.level();
            text[7][i] = r.receivedAt();
            escalated[i] = r.escalated();
            reopened[i] = r.reopened();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_projection (" + COLUMNS + ") SELECT * FROM "
                + "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                + "?::text[]::timestamptz[], ?::boolean[], ?::boolean[]) ON CONFLICT (case_id) DO UPDATE SET "
                + "reference = excluded.reference, customer_id = excluded.customer_id, category = excluded.category, "
                + "product = excluded.product, severity = excluded.severity, level = excluded.level, "
                + "received_at = excluded.received_at, escalated = excluded.escalated, reopened = excluded.reopened")) {
            for (int k = 0; k < 8; k++) {
                ps.setArray(k + 1, c.createArrayOf("text", text[k]));
            }
            ps.setArray(9, c.createArrayOf("boolean", escalated));
            ps.setArray(10, c.createArrayOf("boolean", reopened));
            ps.executeUpdate();
        }
    }

    /**
     * The row after the event: a receipt sets what it carries (the severity and level only where
     * none is set), an escalation or an assignment sets its severity and level where it carries
     * them and marks the case escalated (an assignment only when an escalation made it), a
     * reopening marks it reopened, and a reclassification sets the category and product of a case
     * the projection has (insights count a case under what it is now). {@code row} is null when
     * the case has none, and so is the result when the event makes none.
     */
    private static Row fold(Row row, CaseEvent e, CasePayload p) {
        String caseId = DbText.of(e.subject());
        if (p instanceof ComplaintReceived r) {
            String customer = DbText.of(
                    r.customer() == null ? e.customerid() : r.customer().id());
            String severity = r.severity() == null ? null : r.severity().name();
            String level = r.level() == null ? null : r.level().name();
            String receivedAt = timestamptz(r.receivedAt() == null ? e.time() : r.receivedAt());
            return new Row(
                    caseId,
                    DbText.of(r.reference()),
                    customer,
                    trim(r.category()),
                    trim(r.product()),
                    row == null || row.severity() == null ? severity : row.severity(),
                    row == null || row.level() == null ? level : row.level(),
                    receivedAt,
                    row != null && row.escalated(),
                    row != null && row.reopened());
        } else if (p instanceof EscalationRaised r) {
            return upserted(
                    row,
                    e,
                    r.severity() == null ? null : r.severity().name(),
                    r.level() == null ? null : r.level().name(),
                    true,
                    false);
        } else if (p instanceof CaseAssigned r) {
            return upserted(
                    row,
                    e,
                    r.severity() == null ? null : r.severity().name(),
                    r.level() == null ? null : r.level().name(),
                    r.escalationId() != null,
                    false);
        } else if (p instanceof CaseReopened) {
            return upserted(row, e, null, null, false, true);
        } else if (p instanceof CaseReclassified r) {
            return row == null
                    ? null
                    : new Row(
                            row.caseId(),
                            row.reference(),
                            row.customer(),
                            trim(r.category()),
                            trim(r.product()),
                            row.severity(),
                            row.level(),
                            row.receivedAt(),
                            row.escalated(),
                            row.reopened());
        }
        return row;
    }

    /** The row after an event that may come before the receipt: a new row, or the severity, level and marks updated. */
    private static Row upserted(
            Row row, CaseEvent e, String severity, String level, boolean escalated, boolean reopened) {
        if (row == null) {
            return new Row(
                    DbText.of(e.subject()),
                    null,
                    DbText.of(e.customerid()),
                    null,
                    null,
                    severity,
                    level,
                    null,
                    escalated,
                    reopened);
        }
        return new Row(
                row.caseId(),
                row.reference(),
                row.customer(),
                row.category(),
                row.product(),
                severity == null ? row.severity() : severity,
                level == null ? row.level() : level,
                row.receivedAt(),
                row.escalated() || escalated,
                row.reopened() || reopened);
    }

    /**
     * The instant as {@code timestamptz} text, rounded half up to the microsecond (as PostgreSQL
     * rounds), in UTC on the proleptic Gregorian calendar (as PostgreSQL counts). A year outside
     * 1 to 9999 is refused: the event then misses the projection, logged and counted.
     */
    private static String timestamptz(Instant t) {
        long seconds = t.getEpochSecond();
        long micros = (t.getNano() + 500) / 1000;
        if (micros == 1_000_000) {
            seconds++;
            micros = 0;
        }
        LocalDateTime d = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        if (d.getYear() < 1 || d.getYear() > 9999) {
            throw new IllegalArgumentException("a time the projection does not write: " + t);
        }
        return String.format(
                Locale.ROOT,
                "%04d-%02d-%02d %02d:%02d:%02d.%06d+00",
                d.getYear(),
                d.getMonthValue(),
                d.getDayOfMonth(),
                d.getHour(),
                d.getMinute(),
                d.getSecond(),
                micros);
    }

    /**
     * Applies the event inside a savepoint of the append's transaction: a failure rolls back only
     * the projection's change. Throws only when even that rollback fails (the connection is gone),
     * and then the whole append is retried.
     */
    public void applyIsolated(Connection c, CaseEvent e) throws SQLException {
        Savepoint before = null;
        try {
            CasePayload p = projected(e);
            if (p == null) {
                return;
            }
            before = c.setSavepoint();
            project(c, List.of(e), List.of(p));
            c.releaseSavepoint(before);
        } catch (SQLException | RuntimeException ex) {
            if (before != null) {
                c.rollback(before);
            }
            failures.increment();
            Log.errorf(
                    ex,
                    "case projection cannot apply event %s (%s) of case %s; the entry is logged, the projection "
                            + "misses this event",
                    e.id(),
                    e.type(),
                    e.subject());
        }
    }

    /** The payload of an event that changes the projection, or null. */
    private static CasePayload projected(CaseEvent e) {
        CasePayload p;
        try {
            p = EventCodec.payload(e).orElse(null);
        } catch (EventFormatException ex) {
            return null; // a version this reader does not know: recorded, not projected
        }
        return p instanceof ComplaintReceived
                        || p instanceof EscalationRaised
                        || p instanceof CaseAssigned
                        || p instanceof CaseReopened
                        || p instanceof CaseReclassified
                ? p
                : null;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : DbText.of(s.trim());
    }
}
