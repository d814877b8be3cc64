package redress.audit.verify;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.NavigableMap;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import redress.audit.checkpoint.Checkpoint;
import redress.audit.checkpoint.Checkpoints;
import redress.audit.checkpoint.Signer;
import redress.audit.log.Canonical;
import redress.audit.log.Columns;
import redress.events.EventCodec;

/**
 * Walks the chain in sequence order, streaming from the database in constant memory, and names
 * the first entry that does not hold: a gap in the sequence, canonical bytes that do not hash to
 * the stored leaf, a link that does not chain from the entry before, columns that differ from
 * the hashed bytes, or a stored checkpoint that disagrees with the chain or whose signature fails.
 */
@ApplicationScoped
public class Verifier {

    private static final int FETCH = 1000;

    public record Problem(long seq, String kind, String detail) {
    }

    /**
     * @param anchorSeq         the signed checkpoint the walk started from (0: the start of the log)
     * @param checkpointsChecked stored checkpoints met on the way whose signature and hash held
     */
    public record Report(boolean ok, long anchorSeq, long entriesChecked, long headSeq, String headHash,
            int checkpointsChecked, Problem firstProblem) {
    }

    private final DataSource dataSource;
    private final Signer signer;

    public Verifier(DataSource dataSource, Signer signer) {
        this.dataSource = dataSource;
        this.signer = signer;
    }

    /** Verifies entries up to {@code toSeq} (null: the head), starting from the last trusted checkpoint before {@code fromSeq}. */
    public Report verify(Long fromSeq, Long toSeq) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                NavigableMap<Long, Checkpoint> checkpoints = checkpoints(c);
                Checkpoint anchor = null;
                if (fromSeq != null && fromSeq > 1) {
                    for (Checkpoint cp : checkpoints.headMap(fromSeq, false).descendingMap().values()) {
                        if (trusted(cp, signer.publicKey(cp.keyId()))) {
                            anchor = cp;
                            break;
                        }
                    }
                }
                return walk(c, anchor, toSeq, checkpoints, null);
            } finally {
                c.rollback();
            }
        }
    }

    /** Result of checking today's log against a checkpoint an auditor kept. */
    public record Extension(boolean extendsCheckpoint, boolean signatureValid, boolean chainHashMatches, Report log) {
    }

    /**
     * Is today's log an extension of the one the saved checkpoint signed? The signature must hold
     * (with the given key, or this service's current one), the chain recomputed from the first
     * entry must reach exactly the saved hash at the saved sequence, and the rest must be intact.
     */
    public Extension verifyAgainst(Checkpoint saved, PublicKey key) throws SQLException {
        boolean signed = trusted(saved, key);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                Report r = walk(c, null, null, checkpoints(c), saved);
                Problem p = r.firstProblem();
                // Walking past the saved sequence without a problem means the hash there matched.
                boolean matches = p == null ? r.headSeq() >= saved.seq() : p.seq() > saved.seq();
                return new Extension(signed && matches, signed, matches, r);
            } finally {
                c.rollback();
            }
        }
    }

    /** Whether a checkpoint's statement matches its fields and its signature holds. */
    public static boolean trusted(Checkpoint cp, PublicKey key) {
        if (cp.statement() == null || !cp.statementMatchesFields()) {
            return false;
        }
        try {
            return Signer.verify(key, cp.statement().getBytes(StandardCharsets.UTF_8),
                    Base64.getDecoder().decode(cp.signature()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Report walk(Connection c, Checkpoint anchor, Long toSeq, NavigableMap<Long, Checkpoint> checkpoints,
            Checkpoint saved) throws SQLException {
        long expected = anchor == null ? 1 : anchor.seq() + 1;
        byte[] previous = anchor == null ? Canonical.GENESIS : Canonical.unhex(anchor.chainHash());
        long checked = 0;
        int checkpointsChecked = 0;
        Problem problem = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, case_seq, event_id, event_type, case_id, canonical, "
                + "leaf_hash, chain_hash, customer_id, actor_type, actor_id, recorded_at FROM audit_entry WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
            ps.setFetchSize(FETCH);
            ps.setLong(1, expected);
            ps.setLong(2, toSeq == null ? Long.MAX_VALUE : toSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (seq != expected) {
                        problem = new Problem(expected, "missing",
                                "entry " + expected + " is missing: the next entry present is " + seq);
                        break;
                    }
                    byte[] canonical = rs.getBytes(6);
                    byte[] leaf = Canonical.leafHash(canonical);
                    if (!Arrays.equals(leaf, rs.getBytes(7))) {
                        problem = new Problem(seq, "leaf-hash", "the canonical bytes of entry " + seq
                                + " do not hash to its stored leaf hash: the entry was altered");
                        break;
                    }
                    String mismatch = columnsMismatch(canonical, seq, rs);
                    if (mismatch != null) {
                        problem = new Problem(seq, "content", "entry " + seq + ": column " + mismatch
                                + " differs from the hashed entry");
                        break;
                    }
                    byte[] chain = Canonical.chainHash(previous, leaf);
                    if (!Arrays.equals(chain, rs.getBytes(8))) {
                        problem = new Problem(seq, "chain-hash", "entry " + seq
                                + " does not chain from the entry before it: the log was altered at or before it");
                        break;
                    }
                    Checkpoint cp = checkpoints.get(seq);
                    if (cp != null) {
                        if (!trusted(cp, signer.publicKey(cp.keyId()))) {
                            problem = new Problem(seq, "checkpoint-signature",
                                    "the stored checkpoint at entry " + seq + " is not validly signed"
                                            + (signer.publicKey(cp.keyId()) == null
                                                    ? ": its key " + cp.keyId() + " is not in the keyring" : ""));
                            break;
                        }
                        if (!cp.chainHash().equals(Canonical.hex(chain))) {
                            Long before = checkpoints.lowerKey(seq);
                            problem = new Problem(seq, "checkpoint-mismatch", "the chain at entry " + seq
                                    + " differs from its signed checkpoint: entries after "
                                    + (before == null ? "the start" : "entry " + before) + " up to " + seq
                                    + " were rewritten");
                            break;
                        }
                        checkpointsChecked++;
                    }
                    if (saved != null && saved.seq() == seq && !saved.chainHash().equals(Canonical.hex(chain))) {
                        problem = new Problem(seq, "saved-checkpoint", "the chain at entry " + seq
                                + " differs from the checkpoint you kept: the log up to it was rewritten");
                        break;
                    }
                    previous = chain;
                    expected++;
                    checked++;
                }
            }
        }
        long head = expected - 1;
        if (problem == null) {
            // Entries removed from the end leave no gap; a checkpoint beyond the head shows them.
            Long beyond = checkpoints.higherKey(head);
            if (beyond != null && (toSeq == null || beyond <= toSeq)) {
                problem = new Problem(head + 1, "missing", "entries " + (head + 1) + " to " + beyond
                        + " are missing: a signed checkpoint covers entry " + beyond);
            } else if (saved != null && saved.seq() > head) {
                problem = new Problem(head + 1, "missing", "the checkpoint you kept covers entry " + saved.seq()
                        + " but the log ends at " + head);
            }
        }
        return new Report(problem == null, anchor == null ? 0 : anchor.seq(), checked, head, Canonical.hex(previous),
                checkpointsChecked, problem);
    }

    private static String columnsMismatch(byte[] canonical, long seq, ResultSet rs) throws SQLException {
        JsonNode e;
        try {
            e = EventCodec.mapper().readTree(canonical);
        } catch (java.io.IOException ex) {
            return "canonical";
        }
        if (e.path("seq").asLong(-1) != seq) {
            return "seq";
        }
        if (e.path("caseSeq").asLong(-1) != rs.getLong(2)) {
            return "case_seq";
        }
        if (!e.path("eventId").asText().equals(rs.getString(3))) {
            return "event_id";
        }
        if (!Columns.text(e.path("type").asText()).equals(rs.getString(4))) {
            return "event_type";
        }
        if (!Columns.text(e.path("caseId").asText()).equals(rs.getString(5))) {
            return "case_id";
        }
        if (!java.util.Objects.equals(text(e, "customerId"), rs.getString(9))) {
            return "customer_id";
        }
        if (!java.util.Objects.equals(text(e, "actorType"), rs.getString(10))) {
            return "actor_type";
        }
        if (!java.util.Objects.equals(text(e, "actorId"), rs.getString(11))) {
            return "actor_id";
        }
        if (!java.time.Instant.parse(e.path("recordedAt").asText()).equals(rs.getTimestamp(12).toInstant())) {
            return "recorded_at";
        }
        return null;
    }

    /** A field as its query column holds it (Columns). */
    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : Columns.text(v.asText());
    }

    private static NavigableMap<Long, Checkpoint> checkpoints(Connection c) throws SQLException {
        NavigableMap<Long, Checkpoint> map = new TreeMap<>();
        for (Checkpoint cp : Checkpoints.between(c, 0, Long.MAX_VALUE, Integer.MAX_VALUE)) {
            map.put(cp.seq(), cp);
        }
        return map;
    }
}
