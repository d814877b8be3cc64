package redress.audit.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;

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
            apply(c, e, p);
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

    private static void apply(Connection c, CaseEvent e, CasePayload p) throws SQLException {
        if (p instanceof ComplaintReceived r) {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO case_projection (case_id, reference, customer_id, "
                            + "category, product, severity, level, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (case_id) DO UPDATE SET reference = excluded.reference, customer_id = excluded.customer_id, "
                            + "category = excluded.category, product = excluded.product, received_at = excluded.received_at, "
                            + "severity = coalesce(case_projection.severity, excluded.severity), "
                            + "level = coalesce(case_projection.level, excluded.level)")) {
                ps.setString(1, DbText.of(e.subject()));
                ps.setString(2, DbText.of(r.reference()));
                ps.setString(
                        3,
                        DbText.of(
                                r.customer() == null
                                        ? e.customerid()
                                        : r.customer().id()));
                ps.setString(4, trim(r.category()));
                ps.setString(5, trim(r.product()));
                ps.setString(6, r.severity() == null ? null : r.severity().name());
                ps.setString(7, r.level() == null ? null : r.level().name());
                ps.setTimestamp(8, r.receivedAt() == null ? Timestamp.from(e.time()) : Timestamp.from(r.receivedAt()));
                ps.executeUpdate();
            }
        } else if (p instanceof EscalationRaised r) {
            upsert(
                    c,
                    e,
                    r.severity() == null ? null : r.severity().name(),
                    r.level() == null ? null : r.level().name(),
                    true,
                    false);
        } else if (p instanceof CaseAssigned r) {
            upsert(
                    c,
                    e,
                    r.severity() == null ? null : r.severity().name(),
                    r.level() == null ? null : r.level().name(),
                    r.escalationId() != null,
                    false);
        } else if (p instanceof CaseReopened) {
            upsert(c, e, null, null, false, true);
        } else if (p instanceof CaseReclassified r) {
            // Insights count the case under what it is now: the event carries the whole new category and product.
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE case_projection SET category = ?, product = ? WHERE case_id = ?")) {
                ps.setString(1, trim(r.category()));
                ps.setString(2, trim(r.product()));
                ps.setString(3, DbText.of(e.subject()));
                ps.executeUpdate();
            }
        }
    }

    private static void upsert(
            Connection c, CaseEvent e, String severity, String level, boolean escalated, boolean reopened)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO case_projection (case_id, customer_id, severity, level, "
                        + "escalated, reopened) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET "
                        + "severity = coalesce(excluded.severity, case_projection.severity), "
                        + "level = coalesce(excluded.level, case_projection.level), "
                        + "escalated = case_projection.escalated OR excluded.escalated, "
                        + "reopened = case_projection.reopened OR excluded.reopened")) {
            ps.setString(1, DbText.of(e.subject()));
            ps.setString(2, DbText.of(e.customerid()));
            ps.setString(3, severity);
            ps.setString(4, level);
            ps.setBoolean(5, escalated);
            ps.setBoolean(6, reopened);
            ps.executeUpdate();
        }
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : DbText.of(s.trim());
    }
}
