package redress.intake.complaint;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
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
import redress.events.CustomerSeal;
import redress.events.EscalationLevel;
import redress.events.InteractionKind;
import redress.events.Outcome;
import redress.events.Severity;
import redress.events.payload.Customer;
import redress.support.problem.ProblemException;

/**
 * A case: one complaint, its lifecycle, its owner. Only intake-service writes it, and only this
 * class changes its status, level, assignee, resolution and closure: each change goes through one
 * of its methods, which checks the transition rules ({@link Transitions}) and answers what the
 * caller needs for the event it emits. The services load the case locked, call one of these, and
 * emit the event.
 */
@Entity
public class Complaint extends PanacheEntityBase {

    @Id
    public UUID id;

    public String reference;

    public String customerId;
    // Name and contact, sealed with the customer's data key (redress.intake.customer.CustomerKeys).
    public String customerKid;
    public String customerIv;
    public String customerCt;

    @Enumerated(EnumType.STRING)
    public Channel channel;

    public String category;
    public String product;
    public String summary;
    public String description;

    @Enumerated(EnumType.STRING)
    public Severity severity;
    // The lifecycle: private, changed only by the methods below, which apply the transition rules.
    @Enumerated(EnumType.STRING)
    private EscalationLevel level;

    private String assignee;

    @Enumerated(EnumType.STRING)
    private CaseStatus status;

    public String regulatoryProfile;
    public String externalReference;
    public String submittedBy;

    // The firm's receipt (what regulators count from) and when intake-service was called.
    private Instant receivedAt;
    private Instant registeredAt;
    private Instant acknowledgedAt;
    private Instant resolvedAt;
    private String resolutionSummary;
    // What the returns count: the product group (a reclassification or the resolution sets it), and
    // the last resolution's outcome and root cause, codes of the taxonomy version it names.
    private String productGroup;

    @Enumerated(EnumType.STRING)
    private Outcome outcome;

    private String rootCause;
    private Integer taxonomyVersion;
    private Instant closedAt;
    private int reopenCount;
    private int missedPromises;
    private Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;

    /** What a status change did; the event to emit follows from {@code to}. */
    public record StatusChange(CaseStatus from, CaseStatus to) {}

    /** Who had the case before a change of owner. */
    public record Handover(String previousAssignee, EscalationLevel previousLevel) {}

    /** Who had the case's classification before a reclassification. */
    public record Classification(String regulatoryProfile, String product, String category, String productGroup) {}

    /** What a resolution decided, as the returns count it (all null on a case without a regulatory profile). */
    public record Decision(Outcome outcome, String rootCause, String productGroup, Integer taxonomyVersion) {}

    /**
     * A complaint just received: an OPEN case at the agents' level, unassigned.
     *
     * @param receivedAt   the firm's receipt, never after {@code registeredAt}
     * @param registeredAt now: when intake-service took the complaint
     */
    public void receive(Instant receivedAt, Instant registeredAt) {
        if (receivedAt.isAfter(registeredAt)) {
            throw new IllegalArgumentException("received after it was registered");
        }
        status = CaseStatus.OPEN;
        level = EscalationLevel.AGENT;
        assignee = null;
        this.receivedAt = receivedAt;
        this.registeredAt = registeredAt;
        updatedAt = registeredAt;
    }

    /**
     * A person corrects the regulatory profile, product or category. A CLOSED case is not
     * reclassified (409; reopen it first); a change that changes nothing is refused (422).
     * Answers the classification before the change.
     */
    public Classification reclassify(Classification to, Instant now) {
        if (status == CaseStatus.CLOSED) {
            throw Transitions.refused(status, "A CLOSED case cannot be reclassified; reopen it first");
        }
        Classification before = classification();
        if (before.equals(to)) {
            throw ProblemException.unprocessable(
                    "classification-unchanged",
                    "The case is already classified so: regulatoryProfile " + before.regulatoryProfile() + ", product "
                            + before.product() + ", category " + before.category() + ", productGroup "
                            + before.productGroup());
        }
        regulatoryProfile = to.regulatoryProfile();
        product = to.product();
        category = to.category();
        productGroup = to.productGroup();
        updatedAt = now;
        return before;
    }

    public Classification classification() {
        return new Classification(regulatoryProfile, product, category, productGroup);
    }

    /**
     * A change through {@code POST /status}: 409 naming the current status when the rules do not
     * allow it; a reason is required to reopen (400). Closing stamps the closure, reopening counts.
     */
    public StatusChange changeStatus(CaseStatus to, String reason, Instant now) {
        Transitions.Kind kind = Transitions.viaStatus(status, to);
        if (kind == Transitions.Kind.REOPENED && (reason == null || reason.isBlank())) {
            throw ProblemException.invalidField("reason", "is required to reopen a case");
        }
        return apply(kind, to, now);
    }

    /** Resolves the case without recording a decision (a case without a regulatory profile). */
    public CaseStatus resolve(String summary, Instant now) {
        return resolve(summary, new Decision(null, null, null, null), now);
    }

    /**
     * Resolves the case with what was done for the customer and what was decided (a null
     * product group keeps the case's); the status it was resolved from.
     */
    public CaseStatus resolve(String summary, Decision decision, Instant now) {
        Transitions.checkResolvable(status);
        CaseStatus from = status;
        status = CaseStatus.RESOLVED;
        resolvedAt = now;
        resolutionSummary = summary;
        outcome = decision.outcome();
        rootCause = decision.rootCause();
        taxonomyVersion = decision.taxonomyVersion();
        if (decision.productGroup() != null) {
            productGroup = decision.productGroup();
        }
        updatedAt = now;
        return from;
    }

    /** The first agent interaction on an OPEN or REOPENED case starts work on it; empty otherwise. */
    public Optional<StatusChange> startWorkIfWaiting(Instant now) {
        if (!Transitions.startsWork(status)) {
            return Optional.empty();
        }
        return Optional.of(apply(Transitions.viaStatus(status, CaseStatus.IN_PROGRESS), CaseStatus.IN_PROGRESS, now));
    }

    /** Reopens a RESOLVED or CLOSED case (a dissatisfied customer); empty, and nothing changes, otherwise. */
    public Optional<StatusChange> reopenIfSettled(Instant now) {
        if (!Transitions.reopenable(status)) {
            return Optional.empty();
        }
        return Optional.of(apply(Transitions.viaStatus(status, CaseStatus.REOPENED), CaseStatus.REOPENED, now));
    }

    private StatusChange apply(Transitions.Kind kind, CaseStatus to, Instant now) {
        CaseStatus from = status;
        switch (kind) {
            case CLOSED -> closedAt = now;
            case REOPENED -> {
                reopenCount++;
                closedAt = null;
            }
            case STATUS_CHANGED -> {
                // the status alone
            }
        }
        status = to;
        updatedAt = now;
        return new StatusChange(from, to);
    }

    /** Someone takes the case at a level; a CLOSED case is not reassigned (409). */
    public Handover assign(String newAssignee, EscalationLevel newLevel, Instant now) {
        if (status == CaseStatus.CLOSED) {
            throw Transitions.refused(status, "A CLOSED case cannot be reassigned; reopen it first");
        }
        return handOver(newAssignee, newLevel, now);
    }

    /** An escalation: the case moves to the level's queue, unassigned, whatever its status. */
    public Handover escalate(EscalationLevel newLevel, Instant now) {
        return handOver(null, newLevel, now);
    }

    private Handover handOver(String newAssignee, EscalationLevel newLevel, Instant now) {
        Handover before = new Handover(assignee, level);
        assignee = newAssignee;
        level = newLevel;
        updatedAt = now;
        return before;
    }

    /** A CLOSED case takes no interactions (409); reopen it first. */
    public void checkTakesInteractions() {
        if (status == CaseStatus.CLOSED) {
            throw Transitions.refused(status, "A CLOSED case takes no interactions; reopen it first");
        }
    }

    /**
     * Issue 31: only a RESOLVED or CLOSED case takes a post-case review (409 naming the status
     * otherwise).
     */
    public void checkReviewable() {
        if (status != CaseStatus.RESOLVED && status != CaseStatus.CLOSED) {
            throw Transitions.refused(
                    status, "A " + status + " case takes no review yet; a review follows its resolution");
        }
    }

    /**
     * An interaction of {@code kind} that took place at {@code occurredAt} was recorded {@code now};
     * whether it is the case's first acknowledgement (which then dates from {@code occurredAt}).
     */
    public boolean interactionRecorded(InteractionKind kind, Instant occurredAt, Instant now) {
        updatedAt = now;
        if (kind == InteractionKind.ACKNOWLEDGEMENT && acknowledgedAt == null) {
            acknowledgedAt = occurredAt;
            return true;
        }
        return false;
    }

    public void promiseKept(Instant now) {
        updatedAt = now;
    }

    /** followup-service found one of the case's promises missed (counted once per promise by the caller). */
    public void promiseMissed(Instant now) {
        missedPromises++;
        updatedAt = now;
    }

    public CaseStatus status() {
        return status;
    }

    public EscalationLevel level() {
        return level;
    }

    public String assignee() {
        return assignee;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public Instant registeredAt() {
        return registeredAt;
    }

    public Instant acknowledgedAt() {
        return acknowledgedAt;
    }

    public Instant resolvedAt() {
        return resolvedAt;
    }

    public String resolutionSummary() {
        return resolutionSummary;
    }

    /** The last resolution's decision, with the case's product group. */
    public Decision decision() {
        return new Decision(outcome, rootCause, productGroup, taxonomyVersion);
    }

    public String productGroup() {
        return productGroup;
    }

    /** Whether the case answers to a regulator (a profile other than DEFAULT): its resolutions record an outcome. */
    public boolean regulated() {
        return regulatoryProfile != null && !"DEFAULT".equals(regulatoryProfile);
    }

    public Instant closedAt() {
        return closedAt;
    }

    public int reopenCount() {
        return reopenCount;
    }

    public int missedPromises() {
        return missedPromises;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** The customer as stored and published: the id in clear, name and contact sealed. */
    public Customer sealedCustomer() {
        return new Customer(
                customerId,
                null,
                null,
                null,
                customerKid == null ? null : CustomerSeal.ALGORITHM,
                customerKid,
                customerIv,
                customerCt);
    }

    public void sealCustomer(Customer sealed) {
        customerId = sealed.id();
        customerKid = sealed.kid();
        customerIv = sealed.iv();
        customerCt = sealed.ct();
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

    /**
     * Locks these cases for update until the transaction ends, in one statement and in id order
     * (a consumer's slice takes its cases' locks before it changes any of them); cases that do
     * not exist are passed over. {@link #lockedForUpdate} then finds each one already locked.
     */
    public static void lockAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        getEntityManager()
                .createNativeQuery("SELECT id FROM complaint WHERE id IN (:ids) ORDER BY id FOR UPDATE")
                .setParameter("ids", ids)
                .getResultList();
    }

    public static Complaint existing(UUID id) {
        Complaint c = findById(id);
        if (c == null) {
            throw ProblemException.notFound("Complaint", id);
        }
        return c;
    }
}
