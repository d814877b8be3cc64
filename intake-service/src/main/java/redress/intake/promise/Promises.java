package redress.intake.promise;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.PromiseStatus;
import redress.events.payload.PromiseKept;
import redress.intake.complaint.Complaint;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/** Promises made to customers: kept by an agent, or reported missed by followup-service. */
@ApplicationScoped
public class Promises {

    public record PromiseView(
            UUID id,
            UUID caseId,
            UUID interactionId,
            String text,
            Instant dueAt,
            PromiseStatus status,
            String madeBy,
            Instant madeAt,
            Instant keptAt,
            Instant missedAt) {
        static PromiseView of(Promise p) {
            return new PromiseView(
                    p.id,
                    p.complaintId,
                    p.interactionId,
                    p.text,
                    p.dueAt,
                    p.status,
                    p.madeBy,
                    p.madeAt,
                    p.keptAt,
                    p.missedAt);
        }
    }

    private final EventEmitter events;
    private final Clock clock;

    public Promises(EventEmitter events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public List<PromiseView> list(UUID caseId) {
        Complaint.existing(caseId);
        return Promise.ofCase(caseId).stream().map(PromiseView::of).toList();
    }

    /** Marks a promise kept; a promise reported missed can still be kept late (both stay on record). */
    @Transactional
    public PromiseView keep(UUID caseId, UUID promiseId, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(caseId);
        Promise p = promiseOf(c, promiseId);
        if (p.status == PromiseStatus.KEPT) {
            throw ProblemException.conflict(
                    "promise-already-kept", "Promise " + promiseId + " was already kept at " + p.keptAt);
        }
        Instant now = Clocks.now(clock);
        p.status = PromiseStatus.KEPT;
        p.keptAt = now;
        c.promiseKept(now);
        events.emit(actor, c.customerId, new PromiseKept(c.id, c.reference, p.id, p.dueAt, now), null);
        return PromiseView.of(p);
    }

    /**
     * Records that followup-service found a promise missed: on the promise (unless it was kept) and
     * on the case's count of missed promises.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordMissed(Complaint c, UUID promiseId) {
        Promise p = promiseOf(c, promiseId);
        if (p.status != PromiseStatus.OPEN) {
            return;
        }
        Instant now = Clocks.now(clock);
        p.status = PromiseStatus.MISSED;
        p.missedAt = now;
        c.promiseMissed(now);
    }

    private static Promise promiseOf(Complaint c, UUID promiseId) {
        Promise p = Promise.findById(promiseId, LockModeType.PESSIMISTIC_WRITE);
        if (p == null || !p.complaintId.equals(c.id)) {
            throw ProblemException.notFound("Promise", promiseId + " of complaint " + c.id);
        }
        return p;
    }
}
