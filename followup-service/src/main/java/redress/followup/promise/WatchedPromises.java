package redress.followup.promise;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.CaseEvent;
import redress.events.payload.PromiseCorrected;
import redress.events.payload.PromiseKept;
import redress.events.payload.PromiseMade;
import redress.events.payload.PromiseMissed;
import redress.followup.CaseState;
import redress.followup.wake.Wakeable;
import redress.support.db.DbText;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;

/**
 * Every promise made to a customer ({@code promise.made}), until kept ({@code promise.kept}); one
 * not kept by its due time is missed: {@code promise.missed}, which intake records and escalation
 * acts on. A {@code promise.kept} that arrives after the miss was announced, though kept in time,
 * withdraws it: {@code promise.corrected}.
 */
@ApplicationScoped
public class WatchedPromises implements Wakeable {

    private final EventEmitter emitter;
    private final Callers callers;

    public WatchedPromises(EventEmitter emitter, Callers callers) {
        this.emitter = emitter;
        this.callers = callers;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void made(PromiseMade m) {
        if (WatchedPromise.findById(m.promiseId()) != null) {
            return;
        }
        WatchedPromise p = new WatchedPromise();
        p.id = m.promiseId();
        p.caseId = m.caseId();
        p.reference = DbText.of(m.reference());
        p.text = DbText.of(m.text());
        p.dueAt = m.dueAt();
        p.state = WatchedPromise.PENDING;
        p.nextAt = m.dueAt();
        p.persist();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void kept(PromiseKept k, CaseEvent cause) {
        WatchedPromise p = WatchedPromise.findById(k.promiseId());
        if (p == null) {
            // Kept before we heard it was made (it cannot be: one topic, one key); remember it kept.
            p = new WatchedPromise();
            p.id = k.promiseId();
            p.caseId = k.caseId();
            p.reference = DbText.of(k.reference());
            p.dueAt = k.dueAt();
            p.state = WatchedPromise.KEPT;
            p.keptAt = k.keptAt();
            p.persist();
            return;
        }
        if (WatchedPromise.PENDING.equals(p.state)
                && k.keptAt() != null
                && k.keptAt().isAfter(p.dueAt)) {
            // Kept after its due time, read before the waker got to it (it waits for the consumer):
            // the promise was missed at its due time, and is announced so, caused by the late keeping.
            p.state = WatchedPromise.MISSED;
            p.missedAt = p.dueAt;
            p.keptAt = k.keptAt();
            p.nextAt = null;
            CaseState c = CaseState.findById(p.caseId);
            p.missedEventId = emitter.emit(
                            callers.system(),
                            c == null ? null : c.customerId,
                            new PromiseMissed(p.caseId, p.reference, p.id, p.dueAt),
                            cause)
                    .id();
        } else if (WatchedPromise.PENDING.equals(p.state)) {
            p.state = WatchedPromise.KEPT;
            p.keptAt = k.keptAt();
            p.nextAt = null;
        } else if (WatchedPromise.MISSED.equals(p.state)
                && k.keptAt() != null
                && !k.keptAt().isAfter(p.dueAt)) {
            // Announced missed, but kept in time: the promise.kept arrived after the announcement.
            p.state = WatchedPromise.KEPT;
            p.keptAt = k.keptAt();
            CaseState c = CaseState.findById(p.caseId);
            emitter.emit(
                    callers.system(),
                    c == null ? null : c.customerId,
                    new PromiseCorrected(
                            p.caseId,
                            p.reference,
                            p.id,
                            p.dueAt,
                            p.keptAt,
                            p.missedEventId,
                            "kept at " + p.keptAt
                                    + ", before its due time; the promise.kept arrived after the promise was announced missed"),
                    cause);
        }
    }

    @Override
    public String name() {
        return "promises";
    }

    /**
     * Fires the due promises of a batch with four statements whatever its size: the locking
     * select and the taking of their cases' outbox locks ({@link Wakeable#lockDue}), one select of
     * their cases' customers and one JDBC batch of outbox rows (the promises' own updates are
     * flushed at commit).
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int fireDue(Instant now, int limit) {
        List<WatchedPromise> due = Wakeable.lockDue(WatchedPromise.class, "promise", r -> r.caseId, now, limit);
        List<WatchedPromise> missed = new ArrayList<>();
        for (WatchedPromise p : due) {
            p.nextAt = null;
            if (WatchedPromise.PENDING.equals(p.state)) {
                missed.add(p);
            }
        }
        if (missed.isEmpty()) {
            return due.size();
        }
        Map<UUID, String> customers = new HashMap<>();
        List<CaseState> cases =
                CaseState.byIds(missed.stream().map(p -> p.caseId).distinct().toList());
        cases.forEach(c -> customers.put(c.caseId, c.customerId));
        List<CaseEvent> events = emitter.emitAll(missed.stream()
                .map(p -> new EventEmitter.Emission(
                        callers.system(),
                        customers.get(p.caseId),
                        new PromiseMissed(p.caseId, p.reference, p.id, p.dueAt),
                        null))
                .toList());
        for (int i = 0; i < missed.size(); i++) {
            WatchedPromise p = missed.get(i);
            p.state = WatchedPromise.MISSED;
            p.missedAt = now;
            p.missedEventId = events.get(i).id();
        }
        return due.size();
    }
}
