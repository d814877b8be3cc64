package redress.followup.satisfaction;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.Generated;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A satisfaction follow-up: SCHEDULED at resolution, DUE after the profile's delay (the customer is
 * to be asked), a reminder half-way through the window, then COMPLETED with an outcome or
 * NO_RESPONSE; CANCELLED when the case reopens first.
 */
@Entity
public class Followup extends PanacheEntityBase {

    public static final String SATISFACTION = "SATISFACTION";
    public static final String REMINDER = "REMINDER";

    public enum State {
        SCHEDULED,
        DUE,
        COMPLETED,
        NO_RESPONSE,
        CANCELLED
    }

    @Id
    public UUID id;

    public UUID caseId;
    public String reference;
    public String customerId;
    public String kind;
    public String calendar;
    public Instant scheduledAt;
    public Instant dueAt;
    public Instant remindAt;
    public Instant respondBy;
    public Instant remindedAt;
    public String state;
    public int attempts;
    public Boolean reached;
    public Boolean satisfied;
    public Integer rating;
    public String feedback;
    public String completedBy;
    public Instant completedAt;
    public Instant nextAt;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Version
    public int version;

    public State stateValue() {
        return State.valueOf(state);
    }
}
