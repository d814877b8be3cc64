package redress.intake.abuse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import redress.events.CustomerTone;
import redress.events.EscalationLevel;

/**
 * An abuse report (issue 31): the conversation {@code interactionId} ended while the customer was
 * {@code tone}, reported to supervisors whatever the case's {@code level}. Open until a supervisor
 * acknowledges it; the agent's debrief (the break taken or declined) is recorded once, at any time.
 */
@Entity
public class AbuseReport extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID complaintId;
    public UUID interactionId;

    @Enumerated(EnumType.STRING)
    public CustomerTone tone;

    public String endedBy;

    @Enumerated(EnumType.STRING)
    public EscalationLevel level;

    // The conversation's interactions, oldest first, the ended one last.
    public UUID[] recordIds;

    public Instant reportedAt;
    public String acknowledgedBy;
    public Instant acknowledgedAt;
    public String debriefedBy;
    public Instant debriefedAt;
    public Boolean breakTaken;
    public Integer breakMinutes;
    public String debriefNote;

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }

    public boolean debriefed() {
        return debriefedAt != null;
    }

    /** Locked for update, or null when there is no such report. */
    static AbuseReport lockedForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The reports, oldest first: those still open ({@code acknowledged} false), acknowledged (true)
     * or all (null); only those {@code endedBy} filed when it is set, only those of {@code caseId}
     * when it is set.
     */
    static List<AbuseReport> matching(Boolean acknowledged, String endedBy, UUID caseId) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (acknowledged != null) {
            q.append(acknowledged ? " and acknowledgedAt is not null" : " and acknowledgedAt is null");
        }
        if (endedBy != null) {
            q.append(" and endedBy = :endedBy");
            p.and("endedBy", endedBy);
        }
        if (caseId != null) {
            q.append(" and complaintId = :caseId");
            p.and("caseId", caseId);
        }
        return list(q.toString(), Sort.by("reportedAt").and("id"), p);
    }
}
