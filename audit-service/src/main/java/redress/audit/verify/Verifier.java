package redress.audit.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGStatement;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import redress.audit.checkpoint.Checkpoint;
import redress.audit.checkpoint.Checkpoints;
import redress.audit.checkpoint.Signer;
import redress.audit.log.AuditLog;
import redress.audit.log.Canonical;
import redress.events.EventCodec;
import redress.support.db.DbText;

/**
 * Walks the chain in sequence order and names the first entry that does not hold: a gap in the
 * sequence, canonical bytes that do not hash to the stored leaf, a link that does not chain from
 * the entry before, columns that differ from the hashed bytes, or a stored checkpoint that
 * disagrees with the chain or whose signature fails.
 *
 * <p>The log only grows and its entries never change, so the walk reads it a page at a time from
 * the read pool (no connection or snapshot held between pages), the next page while this one is
 * checked. The columns are compared with the canonical bytes by a streaming parser that reads the
 * top-level fields only: a full parse per entry cost more than the hashing.
 *
 * <p>The leaf hash and the column check of an entry depend on that entry alone, so they are
 * computed for a whole page at once, split over the cores, while the next page is read. Only the
 * chain link is sequential. The walk then reads the results in sequence order, so the first problem
 * reported is the one at the lowest sequence number, as with a plain one-by-one walk. The rows
 * come in PostgreSQL's binary format: in text a {@code bytea} is hex of twice its size, which the
 * server writes and the driver decodes again.
 */
@ApplicationScoped
public class Verifier {

    private static final int PAGE = 2000;
    private static final JsonFactory JSON = EventCodec.mapper().getFactory();
    /** A page is split into at most this many slices for the per-entry checks. */
    private static final int SLICES = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Verifier::sha256);

    public record Problem(long seq, String kind, String detail) {}

    /**
     * @param anchorSeq         the signed checkpoint the walk started from (0: the start of the log)
     * @param checkpointsChecked stored checkpoints met on the way whose signature and hash held
     */
    public record Report(
            boolean ok,
            long anchorSeq,
            long entriesChecked,
            long headSeq,
            String headHash,
            int checkpointsChecked,
            Problem firstProblem) {}

    /** Told after each page how many entries have been checked so far. */
    public interface Progress {
        void checked(long entries);

        Progress NONE = entries -> {};
    }

    private final AgroalDataSource reads;
    private final Signer signer;
    private final ExecutorService prefetch = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "verify-prefetch");
        t.setDaemon(true);
        return t;
    });

    private final ExecutorService slices = Executors.newFixedThreadPool(SLICES, r -> {
        Thread t = new Thread(r, "verify-check");
        t.setDaemon(true);
        return t;
    });

    public Verifier(@DataSource("reads") AgroalDataSource reads, Signer signer) {
        this.reads = reads;
        this.signer = signer;
    }

    @PreDestroy
    void stop() {
        prefetch.shutdownNow();
        slices.shutdownNow();
    }

    /** Verifies entries up to {@code toSeq} (null: the head), starting from the last trusted checkpoint before {@code fromSeq}. */
    public Report verify(Long fromSeq, Long toSeq) throws SQLException {
        return verify(fromSeq, toSeq, Progress.NONE);
    }

    public Report verify(Long fromSeq, Long toSeq, Progress progress) throws SQLException {
        return walk(anchor(fromSeq), toSeq, null, progress);
    }

    /** The signed checkpoint a walk from {@code fromSeq} starts at (null: entry 1). */
    Checkpoint anchor(Long fromSeq) throws SQLException {
        if (fromSeq == null || fromSeq <= 1) {
            return null;
        }
        try (Connection c = reads.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT seq, chain_hash, "
                                + "created_at, key_id, statement, signature FROM audit_checkpoint WHERE seq < ? ORDER BY seq DESC LIMIT 100")) {
            ps.setLong(1, fromSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Checkpoint cp = Checkpoints.read(rs);
                    if (trusted(cp, signer.publicKey(cp.keyId()))) {
                        return cp;
                    }
                }
            }
        }
        return null;
    }

    /** The head of the log now (0 when empty). */
    public long head() throws SQLException {
        try (Connection c = reads.getConnection()) {
            return AuditLog.head(c).seq();
        }
    }

    /** Result of checking today's log against a checkpoint an auditor kept. */
    public record Extension(boolean extendsCheckpoint, boolean signatureValid, boolean chainHashMatches, Report log) {}

    /**
     * Is today's log an extension of the one the saved checkpoint signed? The signature must hold
     * (with the given key, or this service's current one), the chain recomputed from the first
     * entry must reach exactly the saved hash at the saved sequence, and the rest must be intact.
     */
    public Extension verifyAgainst(Checkpoint saved, PublicKey key) throws SQLException {
        boolean signed = trusted(saved, key);
        Report r = walk(null, null, saved, Progress.NONE);
        Problem p = r.firstProblem();
        // Walking past the saved sequence without a problem means the hash there matched.
        boolean matches = p == null ? r.headSeq() >= saved.seq() : p.seq() > saved.seq();
        return new Extension(signed && matches, signed, matches, r);
    }

    /** Whether a checkpoint's statement matches its fields and its signature holds. */
    public static boolean trusted(Checkpoint cp, PublicKey key) {
        if (cp.statement() == null || !cp.statementMatchesFields()) {
            return false;
        }
        try {
            return Signer.verify(
                    key,
                    cp.statement().getBytes(StandardCharsets.UTF_8),
                    Base64.getDecoder().decode(cp.signature()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One page of entries, with the stored checkpoints that sign entries in it. */
    private record Page(List<Row> rows, Map<Long, Checkpoint> checkpoints) {}

    /**
     * For each row of a page its leaf hash recomputed from its canonical bytes ({@code
     * leaves[32*i ..]}) and the first column that differs from those bytes (null: none).
     */
    private record Checks(byte[] leaves, String[] mismatches) {}

    private record Row(
            long seq,
            long caseSeq,
            String eventId,
            String type,
            String caseId,
            byte[] canonical,
            byte[] leaf,
            byte[] chain,
            String customerId,
            String actorType,
            String actorId,
            long recordedMicros,
            boolean recordedNull) {}

    private Page page(long after, long to) {
        try (Connection c = reads.getConnection()) {
            List<Row> rows = new ArrayList<>(PAGE);
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, case_seq, event_id::text, event_type, case_id, "
                    + "canonical, leaf_hash, chain_hash, customer_id, actor_type, actor_id, "
                    + "(extract(epoch FROM recorded_at) * 1000000)::bigint FROM audit_entry "
                    + "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(-1); // binary results from the first page
                ps.setLong(1, after);
                ps.setLong(2, to);
                ps.setInt(3, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long micros = rs.getLong(12);
                        rows.add(new Row(
                                rs.getLong(1),
                                rs.getLong(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getBytes(6),
                                rs.getBytes(7),
                                rs.getBytes(8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getString(11),
                                micros,
                                rs.wasNull()));
                    }
                }
            }
            Map<Long, Checkpoint> checkpoints = new HashMap<>();
            if (!rows.isEmpty()) {
                for (Checkpoint cp : Checkpoints.between(
                        c, rows.get(0).seq(), rows.get(rows.size() - 1).seq(), Integer.MAX_VALUE)) {
                    checkpoints.put(cp.seq(), cp);
                }
            }
            return new Page(rows, checkpoints);
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    /** The per-entry work of a page (leaf hash, column check), its slices on the other cores and this thread. */
    private Checks checked(List<Row> rows) {
        int n = rows.size();
        byte[] leaves = new byte[32 * n];
        String[] mismatches = new String[n];
        int slicesUsed = Math.max(1, Math.min(SLICES, n / 250));
        int per = (n + slicesUsed - 1) / Math.max(1, slicesUsed);
        List<Future<?>> others = new ArrayList<>(slicesUsed);
        for (int s = 1; s < slicesUsed; s++) {
            int from = s * per;
            int until = Math.min(n, from + per);
            others.add(slices.submit(() -> check(rows, from, until, leaves, mismatches)));
        }
        check(rows, 0, Math.min(n, per), leaves, mismatches);
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            }
        }
        return new Checks(leaves, mismatches);
    }

    private static void check(List<Row> rows, int from, int until, byte[] leaves, String[] mismatches) {
        MessageDigest sha = SHA256.get();
        RecordedAt recordedAt = new RecordedAt();
        for (int i = from; i < until; i++) {
            Row r = rows.get(i);
            sha.update(r.canonical());
            try {
                sha.digest(leaves, 32 * i, 32);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            mismatches[i] = columnsMismatch(r, recordedAt);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Report walk(Checkpoint anchor, Long toSeq, Checkpoint saved, Progress progress) throws SQLException {
        long expected = anchor == null ? 1 : anchor.seq() + 1;
        byte[] previous = anchor == null ? Canonical.GENESIS : Canonical.unhex(anchor.chainHash());
        long to = toSeq == null ? Long.MAX_VALUE : toSeq;
        Long lastCheckpoint = anchor == null ? null : anchor.seq();
        long checked = 0;
        int checkpointsChecked = 0;
        Problem problem = null;
        MessageDigest link = sha256();
        long start = expected - 1;
        CompletableFuture<Page> next = CompletableFuture.supplyAsync(() -> page(start, to), prefetch);
        walking:
        while (true) {
            Page page = await(next);
            if (page.rows().isEmpty()) {
                break;
            }
            long pageLast = page.rows().get(page.rows().size() - 1).seq();
            next = page.rows().size() == PAGE
                    ? CompletableFuture.supplyAsync(() -> page(pageLast, to), prefetch)
                    : null;
            Checks checks = checked(page.rows()); // while the next page is read
            byte[] leaves = checks.leaves();
            for (int i = 0; i < page.rows().size(); i++) {
                Row r = page.rows().get(i);
                long seq = r.seq();
                if (seq != expected) {
                    problem = new Problem(
                            expected, "missing", "entry " + expected + " is missing: the next entry present is " + seq);
                    break walking;
                }
                if (r.leaf() == null || !Arrays.equals(leaves, 32 * i, 32 * i + 32, r.leaf(), 0, r.leaf().length)) {
                    problem = new Problem(
                            seq,
                            "leaf-hash",
                            "the canonical bytes of entry " + seq
                                    + " do not hash to its stored leaf hash: the entry was altered");
                    break walking;
                }
                String mismatch = checks.mismatches()[i];
                if (mismatch != null) {
                    problem = new Problem(
                            seq, "content", "entry " + seq + ": column " + mismatch + " differs from the hashed entry");
                    break walking;
                }
                link.update(previous);
                link.update(leaves, 32 * i, 32);
                byte[] chain = link.digest(); // chainHash(n) = SHA-256(chainHash(n-1) || leafHash(n))
                if (!Arrays.equals(chain, r.chain())) {
                    problem = new Problem(
                            seq,
                            "chain-hash",
                            "entry " + seq
                                    + " does not chain from the entry before it: the log was altered at or before it");
                    break walking;
                }
                Checkpoint cp = page.checkpoints().get(seq);
                if (cp != null) {
                    if (!trusted(cp, signer.publicKey(cp.keyId()))) {
                        problem = new Problem(
                                seq,
                                "checkpoint-signature",
                                "the stored checkpoint at entry " + seq + " is not validly signed"
                                        + (signer.publicKey(cp.keyId()) == null
                                                ? ": its key " + cp.keyId() + " is not in the keyring"
                                                : ""));
                        break walking;
                    }
                    if (!cp.chainHash().equals(Canonical.hex(chain))) {
                        problem = new Problem(
                                seq,
                                "checkpoint-mismatch",
                                "the chain at entry " + seq
                                        + " differs from its signed checkpoint: entries after "
                                        + (lastCheckpoint == null ? "the start" : "entry " + lastCheckpoint) + " up to "
                                        + seq
                                        + " were rewritten");
                        break walking;
                    }
                    checkpointsChecked++;
                    lastCheckpoint = seq;
                }
                if (saved != null && saved.seq() == seq && !saved.chainHash().equals(Canonical.hex(chain))) {
                    problem = new Problem(
                            seq,
                            "saved-checkpoint",
                            "the chain at entry " + seq
                                    + " differs from the checkpoint you kept: the log up to it was rewritten");
                    break walking;
                }
                previous = chain;
                expected++;
                checked++;
            }
            progress.checked(checked);
            if (next == null) {
                break;
            }
        }
        if (next != null) {
            next.cancel(false);
        }
        long head = expected - 1;
        if (problem == null) {
            // Entries removed from the end leave no gap; a checkpoint beyond the head shows them. A
            // checkpoint is signed only over entries already committed, so when they are there now
            // the log merely grew after the walk read its last page: nothing is missing.
            Long beyond = checkpointAfter(head);
            if (beyond != null && beyond <= to && !entriesPresent(head + 1, beyond)) {
                problem = new Problem(
                        head + 1,
                        "missing",
                        "entries " + (head + 1) + " to " + beyond + " are missing: a signed checkpoint covers entry "
                                + beyond);
            } else if (saved != null && saved.seq() > head) {
                problem = new Problem(
                        head + 1,
                        "missing",
                        "the checkpoint you kept covers entry " + saved.seq() + " but the log ends at " + head);
            }
        }
        return new Report(
                problem == null,
                anchor == null ? 0 : anchor.seq(),
                checked,
                head,
                Canonical.hex(previous),
                checkpointsChecked,
                problem);
    }

    private static Page await(CompletableFuture<Page> f) throws SQLException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw e;
        }
    }

    /** Whether every entry from {@code first} to {@code last} is in the log now. */
    private boolean entriesPresent(long first, long last) throws SQLException {
        try (Connection c = reads.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM audit_entry WHERE seq BETWEEN ? AND ?")) {
            ps.setLong(1, first);
            ps.setLong(2, last);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == last - first + 1;
            }
        }
    }

    private Long checkpointAfter(long seq) throws SQLException {
        try (Connection c = reads.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT min(seq) FROM audit_checkpoint WHERE seq > ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    /** Entries of one append share their recorded time: parse each distinct text once. */
    private static final class RecordedAt {
        private String text;
        private long micros;

        long micros(String value) {
            if (!value.equals(text)) {
                Instant i = Instant.parse(value);
                micros = ChronoUnit.MICROS.between(Instant.EPOCH, i);
                text = value;
            }
            return micros;
        }
    }

    /**
     * The first column that differs from the canonical bytes, or null. Reads only the top-level
     * fields; the envelope is skipped without building anything.
     */
    private static String columnsMismatch(Row r, RecordedAt recordedAt) {
        long seq = -1;
        long caseSeq = -1;
        String eventId = null;
        String type = null;
        String caseId = null;
        String customerId = null;
        String actorType = null;
        String actorId = null;
        String recorded = null;
        try (JsonParser p = JSON.createParser(r.canonical())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "canonical";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "seq" -> seq = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "caseSeq" -> caseSeq = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "eventId" -> eventId = string(p, t);
                    case "type" -> type = string(p, t);
                    case "caseId" -> caseId = string(p, t);
                    case "customerId" -> customerId = string(p, t);
                    case "actorType" -> actorType = string(p, t);
                    case "actorId" -> actorId = string(p, t);
                    case "recordedAt" -> recorded = string(p, t);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return "canonical";
        }
        if (seq != r.seq()) {
            return "seq";
        }
        if (caseSeq != r.caseSeq()) {
            return "case_seq";
        }
        if (eventId == null || !eventId.equals(r.eventId())) {
            return "event_id";
        }
        if (!Objects.equals(DbText.of(type == null ? "" : type), r.type())) {
            return "event_type";
        }
        if (!Objects.equals(DbText.of(caseId == null ? "" : caseId), r.caseId())) {
            return "case_id";
        }
        if (!Objects.equals(DbText.of(customerId), r.customerId())) {
            return "customer_id";
        }
        if (!Objects.equals(DbText.of(actorType), r.actorType())) {
            return "actor_type";
        }
        if (!Objects.equals(DbText.of(actorId), r.actorId())) {
            return "actor_id";
        }
        try {
            if (recorded == null || r.recordedNull() || recordedAt.micros(recorded) != r.recordedMicros()) {
                return "recorded_at";
            }
        } catch (RuntimeException e) {
            return "recorded_at";
        }
        return null;
    }

    /** A string field; null for JSON null; a non-string value as its text (it will not match a column). */
    private static String string(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return "\u0000structure";
        }
        return p.getText();
    }
}
