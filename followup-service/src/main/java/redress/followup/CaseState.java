package redress.followup;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Transient;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * What this service knows of a case: the profile version that applies (the one current at receipt,
 * or at its reclassification to another profile), the firm's receipt, and whether its pausable
 * clocks are stopped (since when). A case whose {@code complaint.received} has not arrived has no
 * profile.
 */
@Entity
public class CaseState extends PanacheEntityBase {

    @Id
    public UUID caseId;

    public String reference;
    public String customerId;
    public String profile;
    public Integer profileVersion;
    /** The firm's receipt of the complaint: every clock of its profile counts from it. */
    public Instant receivedAt;
    /** When the complaint reached Redress (intake); later than {@code receivedAt} for a complaint entered after the fact. */
    public Instant registeredAt;

    public String status;
    /** The last time the customer heard from the firm (receipt, acknowledgement, outbound contact, reopening). */
    public Instant lastHeardAt;
    /** What that was: RECEIPT, ACKNOWLEDGED, REOPENED, or the outbound interaction's kind. */
    public String lastHeardBy;

    public Instant pausedSince;
    /** When an event last changed this row (an event that changes nothing here leaves it as it was). */
    public Instant updatedAt;

    /**
     * The time of the change being applied ({@link #touch}); copied into {@link #updatedAt} only when
     * the row is written, so that an event that changes nothing else costs no {@code UPDATE}.
     */
    @Transient
    private Instant touchedAt;

    /** The event being applied now, at {@code now}: if it changes the row, {@code updatedAt} says when. */
    public void touch(Instant now) {
        touchedAt = now;
    }

    @PreUpdate
    void stampUpdate() {
        if (touchedAt != null) {
            updatedAt = touchedAt;
        }
    }

    /**
     * The states of these cases that exist, in one statement (Hibernate's multi-load binds the ids as
     * one array on PostgreSQL; a list bound to {@code caseId in ?1} would make the query be translated
     * again each time).
     */
    public static List<CaseState> byIds(Collection<UUID> caseIds) {
        return getEntityManager().unwrap(Session.class).findMultiple(CaseState.class, List.copyOf(caseIds)).stream()
                .filter(Objects::nonNull)
                .toList();
    }

    /** The case's state, locked for this transaction (two consumers may touch one case), created when new. */
    public static CaseState lockedOrNew(UUID caseId, Instant now) {
        getEntityManager()
                .createNativeQuery(
                        "INSERT INTO case_state (case_id, updated_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, caseId)
                .setParameter(2, now)
                .executeUpdate();
        return findById(caseId, LockModeType.PESSIMISTIC_WRITE);
    }
}
