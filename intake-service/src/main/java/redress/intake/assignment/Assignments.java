package redress.intake.assignment;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.EscalationLevel;
import redress.events.payload.CaseAssigned;
import redress.support.outbox.EventEmitter;
import redress.intake.complaint.Complaint;
import redress.intake.lifecycle.Transitions;

/** Who owns a case: one assignee (or a level's queue) at a time, every change with a briefing. */
@ApplicationScoped
public class Assignments {

    private final EventEmitter events;

    public Assignments(EventEmitter events) {
        this.events = events;
    }

    @Transactional
    public Complaint assign(UUID caseId, Assign request, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(caseId);
        if (c.status == CaseStatus.CLOSED) {
            throw Transitions.refused(c.status, "A CLOSED case cannot be reassigned; reopen it first");
        }
        hand(c, request.assignee().trim(), request.level(), request.briefing().trim(), null, actor, null);
        return c;
    }

    /** An escalation moves the case to its level's queue, unassigned, with the escalation's briefing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void escalate(Complaint c, EscalationLevel level, String briefing, UUID escalationId, Actor actor,
            CaseEvent cause) {
        hand(c, null, level, briefing, escalationId, actor, cause);
    }

    private void hand(Complaint c, String assignee, EscalationLevel level, String briefing, UUID escalationId,
            Actor actor, CaseEvent cause) {
        String previousAssignee = c.assignee;
        EscalationLevel previousLevel = c.level;
        c.assignee = assignee;
        c.level = level;
        c.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        events.emit(actor, c.customerId, new CaseAssigned(c.id, c.reference, assignee, level, c.severity, previousAssignee,
                previousLevel, briefing, escalationId), cause);
    }
}
