package redress.escalation.escalate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.EscalationAction;

/**
 * A case handed up to a level by a rule (HAND_OVER), or watched from that level while its owner keeps
 * it (WATCH), with the briefing the next owner or the watcher reads.
 */
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
    /** WATCH or HAND_OVER ({@link redress.events.EscalationAction}). */
    public String action;

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

    public boolean watch() {
        return EscalationAction.WATCH.name().equals(action);
    }

    public static List<Escalation> ofCase(UUID caseId) {
        return list("caseId = ?1 order by raisedAt, id", caseId);
    }
}
