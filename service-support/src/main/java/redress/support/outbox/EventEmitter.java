package redress.support.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.payload.CasePayload;
import redress.support.identity.Callers;
import redress.support.time.Clocks;

/**
 * Emits a case's events: builds the envelope (this service as source, the actor, the time from
 * the service's clock, correlation and causation from the cause) and writes it to the outbox in
 * the caller's transaction, so the event exists if and only if the change that produced it
 * committed.
 */
@ApplicationScoped
public class EventEmitter {

    private static final Logger LOG = Logger.getLogger(EventEmitter.class);

    private final Outbox outbox;
    private final Callers callers;
    private final Clock clock;

    public EventEmitter(Outbox outbox, Callers callers, Clock clock) {
        this.outbox = outbox;
        this.callers = callers;
        this.clock = clock;
    }

    /**
     * @param customerId the case's customer (the {@code customerid} extension)
     * @param cause      the event that led to this one (a consumed event, or an earlier event of
     *                   the same request), or null
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CaseEvent emit(Actor actor, String customerId, CasePayload payload, CaseEvent cause) {
        return emit(actor, customerId, payload, cause, null);
    }

    /** One event to emit: who acts, for which customer, what it says, and what caused it (or null). */
    public record Emission(Actor actor, String customerId, CasePayload payload, CaseEvent cause) {}

    /**
     * Emits several events, in order, as {@link #emit(Actor, String, CasePayload, CaseEvent)} would
     * one by one, with one round trip to the outbox for all of them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<CaseEvent> emitAll(List<Emission> emissions) {
        Instant now = Clocks.now(clock);
        List<CaseEvent> events = emissions.stream()
                .map(m -> CaseEvent.create(
                        callers.source(), m.actor(), m.customerId(), m.payload(), null, m.cause(), now))
                .toList();
        outbox.appendAll(events);
        events.forEach(e -> LOG.debugf("case %s: %s %s by %s", e.subject(), e.type(), e.id(), e.actor()));
        return events;
    }

    /** As above; without a cause, the event takes {@code correlationId} (several events of one act share it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public CaseEvent emit(Actor actor, String customerId, CasePayload payload, CaseEvent cause, UUID correlationId) {
        CaseEvent e =
                CaseEvent.create(callers.source(), actor, customerId, payload, correlationId, cause, Clocks.now(clock));
        outbox.append(e);
        LOG.debugf("case %s: %s %s by %s", e.subject(), e.type(), e.id(), actor);
        return e;
    }
}
