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
import redress.support.outbox.EventEmitter;
import redress.support.time.Clocks;

/**
 * Moves cases through their lifecycle: the case applies the transition rules, this emits the one
 * event each transition makes, in the same transaction.
 */
@ApplicationScoped
public class CaseLifecycle {

    private final EventEmitter events;
    private final Clock clock;

    public CaseLifecycle(EventEmitter events, Clock clock) {
        this.events = events;
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
        CaseStatus from = c.resolve(request.summary().trim(), now);
        events.emit(
                actor,
                c.customerId,
                new CaseResolved(c.id, c.reference, from, c.resolutionSummary(), c.severity, now),
                null);
        return c;
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
    }
}
