package redress.intake.watch;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.EscalationLevel;

/**
 * A person at {@code level} watching a case its owner keeps (a WATCH escalation, issue 31). Open
 * while {@code endedAt} is null.
 */
@Entity
public class CaseWatch extends PanacheEntityBase {

    @Id
    public UUID escalationId;

    public UUID complaintId;

    @Enumerated(EnumType.STRING)
    public EscalationLevel level;

    public String reason;
    public String ruleId;
    public String briefing;
    public Instant since;
    public Instant endedAt;
    public String endedBy;
    public String endReason;

    public boolean open() {
        return endedAt == null;
    }

    /** The case's open watches, oldest first. */
    public static List<CaseWatch> openOf(UUID complaintId) {
        return list("complaintId = ?1 and endedAt is null order by since, escalationId", complaintId);
    }

    /** The same, locked for update (the case is locked first, always). */
    static List<CaseWatch> openOfLocked(UUID complaintId) {
        return find("complaintId = ?1 and endedAt is null order by since, escalationId", complaintId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }
}
