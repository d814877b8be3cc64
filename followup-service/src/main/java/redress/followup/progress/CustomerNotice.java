package redress.followup.progress;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A notice suggested to the agent when an escalation handed the case over: SUGGESTED until an
 * outbound contact after the escalation SENT it; CANCELLED when the case was resolved or closed first.
 */
@Entity
public class CustomerNotice extends PanacheEntityBase {

    public enum State {
        SUGGESTED,
        SENT,
        CANCELLED
    }

    @Id
    public UUID id;

    public UUID caseId;
    public String reference;
    public UUID escalationId;
    public String level;
    public String text;
    public Instant responseDueAt;
    public Instant suggestedAt;
    public String state;
    public Instant sentAt;
    public UUID sentByEventId;
    public String sentByKind;
    public Instant cancelledAt;

    /**
     * The order rows were made in (the database assigns it; listings sort by it). Not read back after
     * an insert, which would send each insert on its own instead of in one multi-row statement.
     */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Version
    public int version;
}
