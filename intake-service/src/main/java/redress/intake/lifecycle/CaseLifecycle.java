package redress.intake.lifecycle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.payload.CaseClosed;
import redress.events.payload.CaseReopened;
import redress.events.payload.CaseResolved;
import redress.events.payload.CaseStatusChanged;
import redress.support.outbox.EventEmitter;
import redress.intake.complaint.Complaint;
import redress.support.problem.ProblemException;

/** Moves cases through their lifecycle; each transition emits exactly one event. */
@ApplicationScoped
public class CaseLifecycle {

    private final EventEmitter events;

    public CaseLifecycle(EventEmitter events) {
        this.events = events;
    }

    @Transactional
    public Complaint changeStatus(UUID id, ChangeStatus request, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(id);
        Transitions.Kind kind = Transitions.viaStatus(c.status, request.status());
        String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason().trim();
        switch (kind) {
            case CLOSED -> close(c, reason, actor);
            case REOPENED -> {
                if (reason == null) {
                    throw ProblemException.invalidField("reason", "is required to reopen a case");
                }
                reopen(c, reason, null, actor, null);
            }
            case STATUS_CHANGED -> move(c, request.status(), reason, actor, null);
        }
        return c;
    }

    @Transactional
    public Complaint resolve(UUID id, Resolve request, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(id);
        Transitions.checkResolvable(c.status);
        CaseStatus from = c.status;
        Instant now = now();
        c.status = CaseStatus.RESOLVED;
        c.resolvedAt = now;
        c.resolutionSummary = request.summary().trim();
        c.updatedAt = now;
        events.emit(actor, c.customerId, new CaseResolved(c.id, c.reference, from, c.resolutionSummary, c.severity, now), null);
        return c;
    }

    /** The first agent interaction on an OPEN or REOPENED case starts work on it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void startWorkIfWaiting(Complaint c, Actor actor, CaseEvent cause) {
        if (Transitions.startsWork(c.status)) {
            move(c, CaseStatus.IN_PROGRESS, "first agent interaction", actor, cause);
        }
    }

    /** Reopens a resolved or closed case; false (and nothing happens) when it is not in such a state. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean reopenIfSettled(Complaint c, String reason, UUID followupId, Actor actor, CaseEvent cause) {
        if (!Transitions.reopenable(c.status)) {
            return false;
        }
        reopen(c, reason, followupId, actor, cause);
        return true;
    }

    private void move(Complaint c, CaseStatus to, String reason, Actor actor, CaseEvent cause) {
        CaseStatus from = c.status;
        c.status = to;
        c.updatedAt = now();
        events.emit(actor, c.customerId, new CaseStatusChanged(c.id, c.reference, from, to, reason), cause);
    }

    private void close(Complaint c, String reason, Actor actor) {
        Instant now = now();
        c.status = CaseStatus.CLOSED;
        c.closedAt = now;
        c.updatedAt = now;
        events.emit(actor, c.customerId, new CaseClosed(c.id, c.reference, reason), null);
    }

    private void reopen(Complaint c, String reason, UUID followupId, Actor actor, CaseEvent cause) {
        CaseStatus from = c.status;
        c.status = CaseStatus.REOPENED;
        c.reopenCount++;
        c.closedAt = null;
        c.updatedAt = now();
        events.emit(actor, c.customerId, new CaseReopened(c.id, c.reference, from, reason, followupId), cause);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
