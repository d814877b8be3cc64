package redress.audit.checkpoint;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import redress.audit.log.AuditLog;
import redress.audit.log.Canonical;
import redress.audit.log.HeadListener;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.support.outbox.Outbox;

/**
 * Signs the head of the chain every N entries (inside the append that reaches it) or every T (a
 * timer), stores the checkpoint and, in the same transaction, puts a copy in the outbox for the
 * topic {@code audit.checkpoints}: a copy that lives outside this database.
 */
@ApplicationScoped
public class Checkpoints implements HeadListener {

    public static final String CONTENT_TYPE = "application/json";

    private final Clock clock;
    private final DataSource dataSource;
    private final Signer signer;
    private final long everyEntries;

    public Checkpoints(DataSource dataSource, Signer signer, CheckpointConfig config, Clock clock) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.signer = signer;
        this.everyEntries = config.everyEntries();
    }

    /** Called by an append holding the head lock, with the new head: signs it when a checkpoint is due. */
    @Override
    public void headMoved(Connection c, AuditLog.Head head) throws SQLException {
        if (head.seq() - lastSeq(c) >= everyEntries) {
            create(c, head);
        }
    }

    /** A rotation that lost a retired key shows at once, not at the next verification. */
    void checkKeyring(@Observes StartupEvent start) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT DISTINCT key_id FROM audit_checkpoint");
                ResultSet rs = ps.executeQuery()) {
            List<String> unknown = new ArrayList<>();
            while (rs.next()) {
                if (signer.publicKey(rs.getString(1)) == null) {
                    unknown.add(rs.getString(1));
                }
            }
            if (!unknown.isEmpty()) {
                Log.errorf(
                        "stored checkpoints are signed by keys %s that are not in the keyring %s: GET /audit/verify "
                                + "will report checkpoint-signature; put their public keys in redress.audit.signing.retired-keys-dir",
                        unknown, signer.keyIds());
            }
        } catch (SQLException e) {
            Log.warnf("cannot check the keyring against the stored checkpoints: %s", e.getMessage());
        }
    }

    @Scheduled(
            every = "${redress.audit.checkpoint.every}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onTimer() {
        try {
            checkpointNow();
        } catch (SQLException e) {
            Log.warnf("timed checkpoint failed: %s", e.getMessage());
        }
    }

    /** The newest checkpoint, and whether it was made just now. */
    public record Made(Checkpoint checkpoint, boolean created) {}

    /** Signs the current head unless it is signed already. */
    public Made checkpointNow() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                AuditLog.lockHead(c);
                AuditLog.Head head = AuditLog.head(c);
                boolean due = head.seq() > lastSeq(c);
                Checkpoint cp = due ? create(c, head) : latest(c);
                c.commit();
                return new Made(cp, due);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Checkpoint create(Connection c, AuditLog.Head head) throws SQLException {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        String hash = Canonical.hex(head.chainHash());
        String statement = Checkpoint.statement(head.seq(), hash, now, signer.keyId());
        byte[] signature = signer.sign(statement.getBytes(StandardCharsets.UTF_8));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoint (seq, chain_hash, created_at, "
                + "key_id, statement, signature) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, head.seq());
            ps.setBytes(2, head.chainHash());
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, signer.keyId());
            ps.setString(5, statement);
            ps.setBytes(6, signature);
            ps.executeUpdate();
        }
        Checkpoint cp = new Checkpoint(
                head.seq(),
                hash,
                now,
                signer.keyId(),
                statement,
                Base64.getEncoder().encodeToString(signature));
        Outbox.append(
                c,
                Topics.AUDIT_CHECKPOINTS,
                "audit-log",
                UUID.nameUUIDFromBytes(("checkpoint:" + head.seq()).getBytes(StandardCharsets.UTF_8)),
                "redress.audit.checkpoint",
                published(cp),
                CONTENT_TYPE);
        Log.infof("checkpoint at entry %d signed with key %s", head.seq(), signer.keyId());
        return cp;
    }

    /** The JSON document published on audit.checkpoints. */
    static String published(Checkpoint cp) {
        ObjectNode n = EventCodec.mapper().valueToTree(cp);
        n.put("algorithm", Checkpoint.ALGORITHM);
        return n.toString();
    }

    public List<Checkpoint> list(long afterSeq, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return between(c, afterSeq + 1, Long.MAX_VALUE, limit);
        }
    }

    /** The stored checkpoints signing entries {@code from} to {@code to}, in sequence order, at most {@code limit}. */
    public static List<Checkpoint> between(Connection c, long from, long to, int limit) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT seq, chain_hash, created_at, key_id, statement, signature "
                        + "FROM audit_checkpoint WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setInt(3, limit);
            List<Checkpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    public static Checkpoint read(ResultSet rs) throws SQLException {
        return new Checkpoint(
                rs.getLong(1),
                Canonical.hex(rs.getBytes(2)),
                rs.getTimestamp(3).toInstant(),
                rs.getString(4),
                rs.getString(5),
                Base64.getEncoder().encodeToString(rs.getBytes(6)));
    }

    private static Checkpoint latest(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT seq, chain_hash, created_at, key_id, statement, signature "
                                + "FROM audit_checkpoint ORDER BY seq DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? read(rs) : null;
        }
    }

    private static long lastSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_checkpoint");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
