package redress.audit.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import redress.support.paging.Cursor;
import redress.support.paging.Page;

/** Auditor queries over the log. Filters use the indexed columns; what is shown comes from the hashed bytes. */
@ApplicationScoped
public class AuditQueries {

    public record Filters(
            String caseId, String customerId, String actorType, String actorId, String type, TimeRange range) {
        String render() {
            return caseId + "|" + customerId + "|" + actorType + "|" + actorId + "|" + type + "|" + range.from() + "|"
                    + range.to();
        }
    }

    /** The most entries one case history answers with. */
    static final int CASE_HISTORY_MAX = 10_000;

    private final DataSource dataSource;

    public AuditQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<EntryView> caseHistory(String caseId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT canonical FROM audit_entry WHERE case_id = ? ORDER BY case_seq LIMIT "
                                + CASE_HISTORY_MAX)) {
            ps.setString(1, caseId);
            return read(ps);
        }
    }

    public Page<EntryView> entries(Filters f, String after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT canonical FROM audit_entry WHERE seq > ?");
        List<Object> params = new ArrayList<>();
        params.add(Cursor.decodeSeq(after, f.render()));
        add(sql, params, "case_id", f.caseId());
        add(sql, params, "customer_id", f.customerId());
        add(sql, params, "actor_type", f.actorType());
        add(sql, params, "actor_id", f.actorId());
        add(sql, params, "event_type", f.type());
        if (f.range().from() != null) {
            sql.append(" AND recorded_at >= ?");
            params.add(Timestamp.from(f.range().from()));
        }
        if (f.range().to() != null) {
            sql.append(" AND recorded_at < ?");
            params.add(Timestamp.from(f.range().to()));
        }
        sql.append(" ORDER BY seq LIMIT ").append(limit + 1);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            return Page.keyset(read(ps), limit, f.render(), e -> new String[] {String.valueOf(e.seq())});
        }
    }

    private static void add(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static List<EntryView> read(PreparedStatement ps) throws SQLException {
        List<EntryView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(EntryView.of(rs.getBytes(1)));
            }
        }
        return out;
    }
}
