package redress.escalation.escalate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

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
}
