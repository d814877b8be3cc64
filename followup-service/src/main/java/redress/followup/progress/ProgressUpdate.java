package redress.followup.progress;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A progress-update reminder of an open case: PENDING until the customer has heard nothing from the
 * firm for the profile's cadence ({@link #dueAt}), then DUE ({@code progress-update.due} emitted once)
 * until an outbound contact SENT it; CANCELLED when the case was resolved or closed first. At most
 * one PENDING or DUE per case.
 */
@Entity
public class ProgressUpdate extends PanacheEntityBase {

    public enum State {
        PENDING,
        DUE,
        SENT,
        CANCELLED
    }

    @Id
    public UUID id;

    public UUID caseId;
    public String reference;
    public String customerId;
    public String profile;
    public int profileVersion;
    public String calendar;
    /** The cadence it was scheduled on: {@code 5 working days} or {@code PT45S of working time}. */
    public String cadence;
    /** The cadence in working days; null for a working-time cadence. */
    public Integer workingDays;

    public Instant lastHeardAt;
    /** What the customer last heard: RECEIPT, ACKNOWLEDGED, REOPENED, or the outbound interaction's kind. */
    public String lastHeardBy;

    public Instant dueAt;
    public String state;
    /** The {@code progress-update.due} announced for it. */
    public UUID dueEventId;

    public Instant firedAt;
    /** The outbound contact that sent it (a DUE one), or that came after its due time before it was announced. */
    public Instant sentAt;

    public UUID sentByEventId;
    public String sentByKind;
    public Instant cancelledAt;
    public Instant createdAt;
    public Instant nextAt;

    /**
     * The order rows were made in (the database assigns it; listings sort by it). Not read back after
     * an insert, which would send each insert on its own instead of in one multi-row statement.
     */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Version
    public int version;

    public State stateValue() {
        return State.valueOf(state);
    }
}
