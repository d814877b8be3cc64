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

import redress.events.EscalationAction;
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

    /**
     * The levels of each case's open (not resolved) escalations: the highest open HAND_OVER and the
     * highest open escalation of either action ({@link Evaluator.Levels}); a case without any is absent.
     */
    public Map<UUID, Evaluator.Levels> highestOpen(Set<UUID> caseIds) {
        Map<UUID, Evaluator.Levels> all = new HashMap<>();
        // Ids, levels and actions only: no entities (and their briefings) in the consumer's session, one
        // statement shape for any number of cases. Each case is looked up on its own (LATERAL: an
        // index probe each), whatever the table's statistics say: "case_id = ANY(array)" over a
        // thousand cases, planned as a scan, compared every escalation with every case.
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT k.id, e.level, e.action FROM unnest(?::uuid[]) AS k(id) CROSS JOIN LATERAL (SELECT level, action "
                                + "FROM escalation WHERE case_id = k.id AND status <> '" + Escalation.RESOLVED
                                + "' OFFSET 0) e")) {
            select.setArray(1, c.createArrayOf("uuid", caseIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    EscalationLevel level = EscalationLevel.valueOf(rs.getString(2));
                    EscalationAction action = EscalationAction.valueOf(rs.getString(3));
                    all.compute(
                            rs.getObject(1, UUID.class),
                            (id, levels) -> (levels == null ? Evaluator.Levels.AGENT : levels).with(level, action));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cases' open escalations", e);
        }
        return all;
    }
}
