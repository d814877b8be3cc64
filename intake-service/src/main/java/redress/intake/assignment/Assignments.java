package redress.intake.assignment;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.EscalationLevel;
import redress.events.payload.CaseAssigned;
import redress.intake.complaint.Complaint;
import redress.support.outbox.EventEmitter;
import redress.support.time.Clocks;

/** Who owns a case: one assignee (or a level's queue) at a time, every change with a briefing. */
@ApplicationScoped
public class Assignments {

    private final EventEmitter events;
    private final Clock clock;

    public Assignments(EventEmitter events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public Complaint assign(UUID caseId, Assign request, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(caseId);
        Complaint.Handover before = c.assign(request.assignee().trim(), request.level(), Clocks.now(clock));
        emit(c, before, request.briefing().trim(), null, actor, null);
        return c;
    }

    /**
     * An escalation moves the case to its level's queue, unassigned, with the escalation's briefing.
     * It never lowers a case, nor takes it from the person who holds it at its own level: a person may
     * have placed it there after the escalation was raised and before it reached this service (a
     * consumer behind, a redelivery). Such an escalation changes nothing here.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void escalate(
            Complaint c, EscalationLevel level, String briefing, UUID escalationId, Actor actor, CaseEvent cause) {
        if (c.level().compareTo(level) > 0 || c.level() == level && c.assignee() != null) {
            Log.infof(
                    "case %s: escalation %s to %s left as it is: the case is at %s, held by %s",
                    c.id, escalationId, level, c.level(), c.assignee() == null ? "nobody" : c.assignee());
            return;
        }
        Complaint.Handover before = c.escalate(level, Clocks.now(clock));
        emit(c, before, briefing, escalationId, actor, cause);
    }

    private void emit(
            Complaint c, Complaint.Handover before, String briefing, UUID escalationId, Actor actor, CaseEvent cause) {
        events.emit(
                actor,
                c.customerId,
                new CaseAssigned(
                        c.id,
                        c.reference,
                        c.assignee(),
                        c.level(),
                        c.severity,
                        before.previousAssignee(),
                        before.previousLevel(),
                        briefing,
                        escalationId),
                cause);
    }
}
