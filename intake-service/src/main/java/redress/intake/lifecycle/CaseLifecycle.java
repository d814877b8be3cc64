package redress.intake.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.payload.CaseClosed;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReopened;
import redress.events.payload.CaseResolved;
import redress.events.payload.CaseStatusChanged;
import redress.intake.complaint.Complaint;
import redress.intake.customer.Vulnerabilities;
import redress.intake.taxonomy.Taxonomies;
import redress.intake.taxonomy.Taxonomy;
import redress.intake.watch.Watches;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Moves cases through their lifecycle: the case applies the transition rules, this emits the one
 * event each transition makes, in the same transaction.
 */
@ApplicationScoped
public class CaseLifecycle {

    private final EventEmitter events;
    private final Taxonomies taxonomies;
    private final Clock clock;
    private final Vulnerabilities vulnerabilities;
    private final Watches watches;

    public CaseLifecycle(
            EventEmitter events, Taxonomies taxonomies, Clock clock, Vulnerabilities vulnerabilities, Watches watches) {
        this.events = events;
        this.watches = watches;
        this.vulnerabilities = vulnerabilities;
        this.taxonomies = taxonomies;
        this.clock = clock;
    }

    @Transactional
    public Complaint changeStatus(UUID id, ChangeStatus request, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(id);
        String reason = request.reason() == null || request.reason().isBlank()
                ? null
                : request.reason().trim();
        Complaint.StatusChange change = c.changeStatus(request.status(), reason, Clocks.now(clock));
        emit(c, change, reason, null, actor, null);
        return c;
    }

    @Transactional
    public Complaint resolve(UUID id, ResolveCase request, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(id);
        Instant now = Clocks.now(clock);
        CaseStatus from = c.resolve(request.summary().trim(), decision(c, request), now);
        Complaint.Decision d = c.decision();
        events.emit(
                actor,
                c.customerId,
                new CaseResolved(
                        c.id,
                        c.reference,
                        from,
                        c.resolutionSummary(),
                        c.severity,
                        now,
                        d.outcome(),
                        d.rootCause(),
                        d.productGroup(),
                        d.taxonomyVersion()),
                null);
        return c;
    }

    /**
     * What the resolution decided, checked against the current taxonomy: on a regulated case the
     * outcome, the root cause and a product group (the request's or the case's) are required (400);
     * a code the taxonomy lacks is refused on any case (422).
     */
    private Complaint.Decision decision(Complaint c, ResolveCase r) {
        String rootCause = blankToNull(r.rootCause());
        String productGroup = blankToNull(r.productGroup());
        if (c.regulated()) {
            if (r.outcome() == null) {
                throw ProblemException.invalidField(
                        "outcome",
                        "is required on a " + c.regulatoryProfile + " case: one of UPHELD, PARTLY_UPHELD, NOT_UPHELD");
            }
            if (rootCause == null) {
                throw ProblemException.invalidField(
                        "rootCause", "is required on a " + c.regulatoryProfile + " case (GET /taxonomy lists them)");
            }
            if (productGroup == null && c.productGroup() == null) {
                throw ProblemException.invalidField(
                        "productGroup", "is required: the case has none yet (GET /taxonomy lists them)");
            }
        }
        if (r.outcome() == null && rootCause == null && productGroup == null) {
            return new Complaint.Decision(null, null, null, null);
        }
        Taxonomy t = taxonomies.current();
        if (rootCause != null) {
            Taxonomies.requireRootCause(t, rootCause);
        }
        if (productGroup != null) {
            Taxonomies.requireProductGroup(t, productGroup);
        }
        return new Complaint.Decision(r.outcome(), rootCause, productGroup, t.version());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The first agent interaction on an OPEN or REOPENED case starts work on it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void startWorkIfWaiting(Complaint c, Actor actor, CaseEvent cause) {
        c.startWorkIfWaiting(Clocks.now(clock))
                .ifPresent(change -> emit(c, change, "first agent interaction", null, actor, cause));
    }

    /** Reopens a resolved or closed case; false (and nothing happens) when it is not in such a state. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean reopenIfSettled(Complaint c, String reason, UUID followupId, Actor actor, CaseEvent cause) {
        var change = c.reopenIfSettled(Clocks.now(clock));
        change.ifPresent(ch -> emit(c, ch, reason, followupId, actor, cause));
        return change.isPresent();
    }

    /** The one event of a status change: the specific type where there is one. */
    private void emit(
            Complaint c, Complaint.StatusChange change, String reason, UUID followupId, Actor actor, CaseEvent cause) {
        CasePayload payload = switch (change.to()) {
            case CLOSED -> new CaseClosed(c.id, c.reference, reason);
            case REOPENED -> new CaseReopened(c.id, c.reference, change.from(), reason, followupId);
            default -> new CaseStatusChanged(c.id, c.reference, change.from(), change.to(), reason);
        };
        events.emit(actor, c.customerId, payload, cause);
        if (change.to() == CaseStatus.CLOSED) {
            // Nobody watches a closed case (issue 31); escalation-service ends its WATCH escalations on case.closed.
            watches.endAll(c, actor.id(), "the case was closed", Clocks.now(clock));
        }
        if (change.to() == CaseStatus.REOPENED) {
            // Whether the customer is vulnerable may have changed while the case was closed.
            vulnerabilities.announce(c, actor, cause);
        }
    }
}
