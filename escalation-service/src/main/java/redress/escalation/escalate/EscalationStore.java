package redress.escalation.escalate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.EscalationLevel;

/**
 * The set-wise reads of {@code escalation} (the consumer's batches): JDBC on the service's
 * DataSource, in the caller's transaction. Single escalations are read and written through the
 * {@link Escalation} entity.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class EscalationStore {

    private final DataSource dataSource;

    public EscalationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The highest level of each case's open (not resolved) escalations; a case without any is absent. */
    public Map<UUID, EscalationLevel> highestOpen(Set<UUID> caseIds) {
        Map<UUID, EscalationLevel> all = new HashMap<>();
        // Ids and levels only: no entities (and their briefings) in the consumer's session, one
        // statement shape for any number of cases. Each case is looked up on its own (LATERAL: an
        // index probe each), whatever the table's statistics say: "case_id = ANY(array)" over a
        // thousand cases, planned as a scan, compared every escalation with every case.
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT k.id, e.level FROM unnest(?::uuid[]) AS k(id) CROSS JOIN LATERAL (SELECT level FROM escalation "
                                + "WHERE case_id = k.id AND status <> '" + Escalation.RESOLVED + "' OFFSET 0) e")) {
            select.setArray(1, c.createArrayOf("uuid", caseIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.merge(
                            rs.getObject(1, UUID.class),
                            EscalationLevel.valueOf(rs.getString(2)),
                            (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cases' open escalations", e);
        }
        return all;
    }
}
