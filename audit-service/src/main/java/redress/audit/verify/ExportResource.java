package redress.audit.verify;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.smallrye.common.annotation.Blocking;
import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.audit.checkpoint.Checkpoint;
import redress.audit.checkpoint.Checkpoints;
import redress.audit.checkpoint.Signer;
import redress.audit.log.Canonical;
import redress.audit.query.TimeRange;
import redress.events.EventCodec;
import redress.support.security.Roles;

/**
 * {@code GET /audit/export}: the entries recorded in a time range as NDJSON, streamed a page at a
 * time in constant memory, with everything an offline verifier needs: the chain hash
 * before the first entry, each entry's canonical text, leaf and chain hash, the signed checkpoints
 * in the range, and the public key. docs/audit-log.md describes every line.
 */
@Path("/audit/export")
public class ExportResource {

    public static final String FORMAT = "redress-audit-export/1";
    public static final String NDJSON = "application/x-ndjson";

    private static final int PAGE = 1000;

    private final AgroalDataSource reads;
    private final Signer signer;
    private final AccessRecorder access;

    public ExportResource(@DataSource("reads") AgroalDataSource reads, Signer signer, AccessRecorder access) {
        this.reads = reads;
        this.signer = signer;
        this.access = access;
    }

    @RolesAllowed(Roles.AUDITOR)
    @GET
    @Produces(NDJSON)
    @Blocking
    public Response export(@QueryParam("from") String from, @QueryParam("to") String to) throws SQLException {
        TimeRange range = TimeRange.parse(from, to);
        // The range is fixed before anything is sent, so the record of this export names exactly
        // the entries it holds; the record is written before the first byte.
        long[] bounds;
        try (Connection c = reads.getConnection()) {
            bounds = bounds(c, range);
        }
        long count = Math.max(0, bounds[1] - bounds[0] + 1);
        access.record(AuditorRead.of("export", "from", from, "to", to).entries(count, bounds[0], bounds[1]));
        StreamingOutput body = out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            try {
                write(range, bounds, w);
            } catch (SQLException e) {
                throw new IOException("export failed", e);
            }
            w.flush();
        };
        return Response.ok(body, NDJSON)
                .header("Content-Disposition", "attachment; filename=\"audit-export.ndjson\"")
                .build();
    }

    /**
     * The log only grows and its entries never change, so the range is fixed first and then read
     * a page at a time, each on a connection taken from the read pool only for that query: a
     * client that reads slowly holds no connection and no snapshot while the page is written.
     */
    private void write(TimeRange range, long[] bounds, Writer w) throws SQLException, IOException {
        long first = bounds[0];
        long last = bounds[1];
        byte[] previous;
        try (Connection c = reads.getConnection()) {
            previous = first <= 1 ? Canonical.GENESIS : chainHashAt(c, first - 1);
        }
        ObjectNode header = EventCodec.mapper().createObjectNode();
        header.put("kind", "header");
        header.put("format", FORMAT);
        header.put("canonicalization", "RFC 8785 (JCS), UTF-8");
        header.put("hash", "SHA-256");
        header.put("from", range.from() == null ? null : range.from().toString());
        header.put("to", range.to() == null ? null : range.to().toString());
        header.put("firstSeq", last >= first ? first : null);
        header.put("lastSeq", last >= first ? last : null);
        header.put("previousChainHash", Canonical.hex(previous));
        ObjectNode key = header.putObject("publicKey");
        key.put("keyId", signer.keyId());
        key.put("algorithm", Checkpoint.ALGORITHM);
        key.put("pem", signer.publicKeyPem());
        line(w, header);

        long count = 0;
        byte[] lastHash = previous;
        long after = first - 1;
        while (after < last) {
            List<ObjectNode> lines = new ArrayList<>(PAGE + 8);
            long pageLast = after;
            try (Connection c = reads.getConnection()) {
                List<Checkpoint> checkpoints =
                        Checkpoints.between(c, after + 1, Math.min(last, after + PAGE), Integer.MAX_VALUE);
                int nextCheckpoint = 0;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT seq, canonical, leaf_hash, chain_hash FROM audit_entry WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
                    ps.setLong(1, after);
                    ps.setLong(2, last);
                    ps.setInt(3, PAGE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long seq = rs.getLong(1);
                            ObjectNode e = EventCodec.mapper().createObjectNode();
                            e.put("kind", "entry");
                            e.put("seq", seq);
                            e.put("canonical", new String(rs.getBytes(2), StandardCharsets.UTF_8));
                            e.put("leafHash", Canonical.hex(rs.getBytes(3)));
                            lastHash = rs.getBytes(4);
                            e.put("chainHash", Canonical.hex(lastHash));
                            lines.add(e);
                            count++;
                            pageLast = seq;
                            while (nextCheckpoint < checkpoints.size()
                                    && checkpoints.get(nextCheckpoint).seq() <= seq) {
                                Checkpoint cp = checkpoints.get(nextCheckpoint++);
                                if (cp.seq() == seq) {
                                    ObjectNode n = EventCodec.mapper().valueToTree(cp);
                                    n.put("kind", "checkpoint");
                                    n.put("algorithm", Checkpoint.ALGORITHM);
                                    lines.add(n);
                                }
                            }
                        }
                    }
                }
            }
            if (pageLast == after) {
                break; // entries missing from the range: the footer's count shows it; /audit/verify names them
            }
            for (ObjectNode n : lines) {
                line(w, n);
            }
            after = pageLast;
        }
        ObjectNode footer = EventCodec.mapper().createObjectNode();
        footer.put("kind", "footer");
        footer.put("entries", count);
        footer.put("lastChainHash", Canonical.hex(lastHash));
        line(w, footer);
    }

    private static void line(Writer w, ObjectNode n) throws IOException {
        w.write(EventCodec.mapper().writeValueAsString(n));
        w.write('\n');
    }

    /** The first and last entry recorded in the range (recorded times never decrease along the chain). */
    private static long[] bounds(Connection c, TimeRange range) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(min(seq), 1), coalesce(max(seq), 0) FROM audit_entry "
                        + "WHERE (?::timestamptz IS NULL OR recorded_at >= ?) AND (?::timestamptz IS NULL OR recorded_at < ?)")) {
            Timestamp f = range.from() == null ? null : Timestamp.from(range.from());
            Timestamp t = range.to() == null ? null : Timestamp.from(range.to());
            ps.setTimestamp(1, f);
            ps.setTimestamp(2, f);
            ps.setTimestamp(3, t);
            ps.setTimestamp(4, t);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private static byte[] chainHashAt(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_hash FROM audit_entry WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("entry " + seq + " is missing; run /audit/verify");
                }
                return rs.getBytes(1);
            }
        }
    }
}
