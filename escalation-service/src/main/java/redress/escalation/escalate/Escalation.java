package redress.escalation.escalate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.EscalationLevel;

/** A case handed up to a level by a rule, with the briefing the next owner reads. */
@Entity
public class Escalation extends PanacheEntityBase {

    public static final String OPEN = "OPEN";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String RESOLVED = "RESOLVED";

    @Id
    public UUID id;

    public UUID caseId;
    public String reference;
    public String level;
    public String previousLevel;
    public String status;
    public String ruleId;
    public int ruleVersion;
    public String reason;
    public String briefing;
    public UUID causeEventId;
    public Instant raisedAt;
    public String acknowledgedBy;
    public Instant acknowledgedAt;
    public String resolvedBy;
    public Instant resolvedAt;
    public String outcome;

    public static List<Escalation> ofCase(UUID caseId) {
        return list("caseId = ?1 order by raisedAt, id", caseId);
    }

    /** The highest level among the case's escalations that are not resolved, or AGENT. */
    /** The highest level of each case's open (not resolved) escalations; a case without any is absent. */
    public static Map<UUID, EscalationLevel> highestOpen(Set<UUID> caseIds) {
        Map<UUID, EscalationLevel> all = new HashMap<>();
        // Ids and levels only, by JDBC: no entities (and their briefings) in the consumer's session,
        // one statement shape for any number of cases. Each case is looked up on its own (LATERAL:
        // an index probe each), whatever the table's statistics say: "case_id = ANY(array)" over a
        // thousand cases, planned as a scan, compared every escalation with every case.
        getEntityManager().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT k.id, e.level FROM unnest(?::uuid[]) AS k(id) CROSS JOIN LATERAL (SELECT level FROM escalation "
                            + "WHERE case_id = k.id AND status <> '" + RESOLVED + "' OFFSET 0) e")) {
                select.setArray(1, c.createArrayOf("uuid", caseIds.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        all.merge(
                                rs.getObject(1, UUID.class),
                                EscalationLevel.valueOf(rs.getString(2)),
                                (a, b) -> a.compareTo(b) >= 0 ? a : b);
                    }
                }
            }
        });
        return all;
    }
}
