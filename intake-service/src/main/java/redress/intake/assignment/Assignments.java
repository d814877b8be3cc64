package redress.intake.assignment;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.EscalationLevel;
import redress.events.payload.CaseAssigned;
import redress.intake.complaint.Complaint;
import redress.intake.watch.CaseWatch;
import redress.intake.watch.WatcherLevel;
import redress.intake.watch.Watches;
import redress.support.outbox.EventEmitter;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/** Who owns a case: one assignee (or a level's queue) at a time, every change with a briefing. */
@ApplicationScoped
public class Assignments {

    private final EventEmitter events;
    private final Clock clock;
    private final Watches watches;

    public Assignments(EventEmitter events, Clock clock, Watches watches) {
        this.events = events;
        this.clock = clock;
        this.watches = watches;
    }

    /** A person places the case; the watches at or below its new level end (it is there now). */
    @Transactional
    public Complaint assign(UUID caseId, Assign request, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(caseId);
        Instant now = Clocks.now(clock);
        Complaint.Handover before = c.assign(request.assignee().trim(), request.level(), now);
        emit(c, before, request.briefing().trim(), null, actor, null);
        watches.endAtOrBelow(
                c, c.level(), actor.id(), "the case was assigned to " + c.assignee() + " at " + c.level(), now);
        return c;
    }

    /**
     * A watcher takes the case over (issue 31): the case goes to the watch's level, assigned to the
     * caller, with the watch's briefing, as a {@code case.assigned} naming the watch's escalation; the
     * watch ends, and so do the others at or below that level. {@code escalationId} names the watch;
     * null, the open watch of the highest level the caller may act at.
     *
     * @param callerLevel the highest level the caller may act at (a supervisor: MANAGER)
     * @throws ProblemException 404 unknown case; 409 {@code no-open-watch} when the case has no such open
     *     watch; 403 {@code forbidden} when the watch is above {@code callerLevel}
     */
    @Transactional
    public Complaint takeOver(UUID caseId, UUID escalationId, Actor actor, EscalationLevel callerLevel) {
        Complaint c = Complaint.lockedForUpdate(caseId);
        List<CaseWatch> open = CaseWatch.openOf(c.id);
        CaseWatch w;
        if (escalationId != null) {
            w = open.stream()
                    .filter(x -> x.escalationId.equals(escalationId))
                    .findFirst()
                    .orElseThrow(() -> ProblemException.conflict(
                            "no-open-watch",
                            "escalation " + escalationId + " is not an open watch of case " + c.reference
                                    + (open.isEmpty() ? " (it has none)" : "")));
        } else {
            if (open.isEmpty()) {
                throw ProblemException.conflict(
                        "no-open-watch",
                        "nobody watches case " + c.reference
                                + ": there is nothing to take over (POST /complaints/{id}/assignment places a case)");
            }
            Comparator<CaseWatch> byLevel = Comparator.comparing(x -> x.level);
            w = open.stream()
                    .filter(x -> x.level.compareTo(callerLevel) <= 0)
                    .max(byLevel)
                    .orElseGet(() -> open.stream().min(byLevel).orElseThrow());
        }
        if (w.level.compareTo(callerLevel) > 0) {
            throw new ProblemException(Problem.of(
                    403,
                    "forbidden",
                    "Forbidden",
                    "the watch of escalation " + w.escalationId + " is at level " + w.level + "; an agent at level "
                            + callerLevel + " may take over watches up to " + callerLevel + " (the token's '"
                            + WatcherLevel.CLAIM + "' claim)"));
        }
        Instant now = Clocks.now(clock);
        String by = actor.id();
        Complaint.Handover before = c.assign(by, w.level, now);
        String briefing = "Taken over from the watch of escalation " + w.escalationId + " by " + by + " ("
                + (w.ruleId == null ? "" : "rule " + w.ruleId + ": ") + (w.reason == null ? "" : w.reason) + ")"
                + (w.briefing == null ? "" : "\n" + w.briefing);
        emit(c, before, briefing, w.escalationId, actor, null);
        String reason = "taken over by " + by + " at " + w.level;
        watches.end(w, by, reason, now);
        watches.endAtOrBelow(c, w.level, by, reason + " (escalation " + w.escalationId + ")", now);
        Log.infof("case %s: %s took over the watch %s at %s", c.id, by, w.escalationId, w.level);
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
        Instant now = Clocks.now(clock);
        Complaint.Handover before = c.escalate(level, now);
        emit(c, before, briefing, escalationId, actor, cause);
        watches.endAtOrBelow(c, level, actor.id(), "handed over to " + level + " by escalation " + escalationId, now);
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
