package redress.intake.complaint;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.Severity;
import redress.events.payload.Customer;
import redress.support.problem.ProblemException;

/** A case: one complaint, its lifecycle, its owner. Only intake-service writes it. */
@Entity
public class Complaint extends PanacheEntityBase {

    @Id
    public UUID id;
    public String reference;

    public String customerId;
    public String customerName;
    public String customerEmail;
    public String customerPhone;

    @Enumerated(EnumType.STRING)
    public Channel channel;
    public String category;
    public String product;
    public String summary;
    public String description;
    @Enumerated(EnumType.STRING)
    public Severity severity;
    @Enumerated(EnumType.STRING)
    public EscalationLevel level;
    public String assignee;
    @Enumerated(EnumType.STRING)
    public CaseStatus status;
    public String regulatoryProfile;
    public String externalReference;
    public String submittedBy;

    public Instant receivedAt;
    public Instant acknowledgedAt;
    public Instant resolvedAt;
    public String resolutionSummary;
    public Instant closedAt;
    public int reopenCount;
    public int missedPromises;
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;

    public Customer customer() {
        return new Customer(customerId, customerName, customerEmail, customerPhone);
    }

    /**
     * The case, locked for update until the transaction ends: every change to a case, and every
     * event it emits, happens under this lock, one transaction at a time.
     */
    public static Complaint lockedForUpdate(UUID id) {
        Complaint c = findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            throw ProblemException.notFound("Complaint", id);
        }
        return c;
    }

    public static Complaint existing(UUID id) {
        Complaint c = findById(id);
        if (c == null) {
            throw ProblemException.notFound("Complaint", id);
        }
        return c;
    }
}
