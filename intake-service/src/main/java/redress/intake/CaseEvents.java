package redress.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.payload.CasePayload;
import redress.intake.complaint.Complaint;
import redress.support.identity.Callers;
import redress.support.outbox.Outbox;

/** Emits a case's events: builds the envelope and writes it to the outbox in the caller's transaction. */
@ApplicationScoped
public class CaseEvents {

    private final Outbox outbox;
    private final Callers callers;

    public CaseEvents(Outbox outbox, Callers callers) {
        this.outbox = outbox;
        this.callers = callers;
    }

    /**
     * @param cause the event that led to this one (a consumed event, or an earlier event of the same
     *              request), or null
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CaseEvent emit(Complaint c, Actor actor, CasePayload payload, CaseEvent cause) {
        CaseEvent e = CaseEvent.create(callers.source(), actor, c.customerId, payload, null, cause);
        outbox.append(e);
        Log.debugf("case %s: %s %s by %s", c.id, e.type(), e.id(), actor);
        return e;
    }
}
