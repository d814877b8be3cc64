package redress.audit.log;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import redress.audit.insights.CaseFacts;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.support.db.DbText;

/**
 * Appends entries to the one hash chain. A whole batch is one transaction, serialised with every
 * other appender (threads or replicas) by a transaction-scoped advisory lock: read the head,
 * drop events already recorded, number the rest gap-free, chain them, insert. The service's role
 * may only INSERT and SELECT here, so the lock is advisory rather than {@code LOCK TABLE} or
 * {@code FOR UPDATE}.
 */
@ApplicationScoped
public class AuditLog {

    /** Advisory lock key of the chain's head. */
    public static final long HEAD_LOCK = 0x7265647265737302L;

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final DataSource dataSource;
    private final HeadListener headListener;
    private final CaseFacts facts;
    private final Counter appended;

    public AuditLog(DataSource dataSource, HeadListener headListener, CaseFacts facts, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.headListener = headListener;
        this.facts = facts;
        this.appended = metrics.counter("redress.audit.entries.appended");
    }

    /** The head of the chain: its last sequence number and chain hash (0 and zeros when empty). */
    public record Head(long seq, byte[] chainHash) {}

    /** Appends what is new in the batch; returns how many entries were added. */
    public int append(List<Received> batch) throws SQLException {
        if (batch.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lockHead(c);
                Head head = head(c);
                Set<UUID> known = recorded(c, batch);
                Map<String, Long> caseSeqs = caseSeqs(c, batch);
                // The database's clock, read under the lock: recorded times never decrease along
                // the chain, whichever replica appends, so a time range is a range of entries.
                Instant recordedAt = databaseNow(c);
                long seq = head.seq();
                byte[] chain = head.chainHash();
                List<CaseEvent> added = new ArrayList<>();
                // The canonical bytes are the record; every other column is a copy that cannot fail
                // (QueryColumns), so the database never refuses a well-formed envelope.
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (seq, case_seq, event_id, "
                        + "event_type, case_id, customer_id, actor_type, actor_id, event_time, recorded_at, canonical, "
                        + "leaf_hash, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Received r : batch) {
                        CaseEvent e = r.event();
                        if (!known.add(e.id())) {
                            continue; // recorded before, or twice in this batch
                        }
                        seq++;
                        String caseId = DbText.of(e.subject());
                        long caseSeq = caseSeqs.merge(caseId, 1L, Long::sum);
                        byte[] canonical = Canonical.jcs(entry(seq, caseSeq, r, recordedAt));
                        byte[] leaf = Canonical.leafHash(canonical);
                        chain = Canonical.chainHash(chain, leaf);
                        ps.setLong(1, seq);
                        ps.setLong(2, caseSeq);
                        ps.setObject(3, e.id());
                        ps.setString(4, DbText.of(e.type()));
                        ps.setString(5, caseId);
                        ps.setString(6, DbText.of(e.customerid()));
                        ps.setString(
                                7, e.actortype() == null ? null : e.actortype().wire());
                        ps.setString(8, DbText.of(e.actorid()));
                        ps.setTimestamp(9, QueryColumns.time(e.time()));
                        ps.setTimestamp(10, Timestamp.from(recordedAt));
                        ps.setBytes(11, canonical);
                        ps.setBytes(12, leaf);
                        ps.setBytes(13, chain);
                        ps.addBatch();
                        added.add(e);
                    }
                    if (!added.isEmpty()) {
                        ps.executeBatch();
                    }
                }
                facts.applyAll(c, added); // a failure there is logged and counted, never the entry's
                if (!added.isEmpty()) {
                    headListener.headMoved(c, new Head(seq, chain));
                    notifyFollowers(c);
                }
                c.commit();
                appended.increment(added.size());
                return added.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * The fields of an entry, in the form that is canonicalised and hashed (docs/audit-log.md).
     */
    static ObjectNode entry(long seq, long caseSeq, Received r, Instant recordedAt) {
        CaseEvent e = r.event();
        ObjectNode n = EventCodec.mapper().createObjectNode();
        n.put("seq", seq);
        n.put("caseSeq", caseSeq);
        n.put("eventId", e.id().toString());
        n.put("type", e.type());
        n.put("caseId", e.subject());
        n.put("customerId", e.customerid());
        n.put("actorType", e.actortype() == null ? null : e.actortype().wire());
        n.put("actorId", e.actorid());
        n.put("eventTime", e.time().toString());
        n.put("recordedAt", recordedAt.toString());
        n.set("envelope", r.envelope());
        return n;
    }

    /** The channel the live stream LISTENs on; PostgreSQL delivers the NOTIFY only when the append commits. */
    public static final String APPENDED_CHANNEL = "redress_audit";

    private static void notifyFollowers(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + APPENDED_CHANNEL + "', '')")) {
            ps.execute();
        }
    }

    public static void lockHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, HEAD_LOCK);
            ps.execute();
        }
    }

    private static Instant databaseNow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT clock_timestamp()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant().truncatedTo(ChronoUnit.MICROS);
        }
    }

    public static Head head(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT seq, chain_hash FROM audit_entry ORDER BY seq DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Head(rs.getLong(1), rs.getBytes(2)) : new Head(0, Canonical.GENESIS);
        }
    }

    private static Set<UUID> recorded(Connection c, List<Received> batch) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        for (Received r : batch) {
            ids.add(r.event().id());
        }
        Set<UUID> known = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM audit_entry WHERE event_id = ANY (?)")) {
            Array a = c.createArrayOf("uuid", ids.toArray());
            ps.setArray(1, a);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getObject(1, UUID.class));
                }
            }
        }
        if (!known.isEmpty()) {
            LOG.debugf("%d redelivered events already in the log", known.size());
        }
        return known;
    }

    private static Map<String, Long> caseSeqs(Connection c, List<Received> batch) throws SQLException {
        Set<String> cases = new HashSet<>();
        for (Received r : batch) {
            cases.add(DbText.of(r.event().subject()));
        }
        Map<String, Long> seqs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT case_id, max(case_seq) FROM audit_entry WHERE case_id = ANY (?) GROUP BY case_id")) {
            ps.setArray(1, c.createArrayOf("text", new ArrayList<>(cases).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return seqs;
    }
}
