package redress.intake.assignment;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

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

    /** An escalation moves the case to its level's queue, unassigned, with the escalation's briefing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void escalate(Complaint c, EscalationLevel level, String briefing, UUID escalationId, Actor actor,
            CaseEvent cause) {
        Complaint.Handover before = c.escalate(level, Clocks.now(clock));
        emit(c, before, briefing, escalationId, actor, cause);
    }

    private void emit(Complaint c, Complaint.Handover before, String briefing, UUID escalationId, Actor actor,
            CaseEvent cause) {
        events.emit(actor, c.customerId, new CaseAssigned(c.id, c.reference, c.assignee(), c.level(), c.severity,
                before.previousAssignee(), before.previousLevel(), briefing, escalationId), cause);
    }
}
