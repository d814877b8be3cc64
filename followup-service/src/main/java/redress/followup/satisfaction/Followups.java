package redress.followup.satisfaction;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.CaseEvent;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.FollowupDue;
import redress.events.payload.FollowupScheduled;
import redress.followup.CaseState;
import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.Calendars;
import redress.followup.profile.ProfileDefinition;
import redress.followup.wake.SetAside;
import redress.followup.wake.Wakeable;
import redress.support.db.Hql;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;

/**
 * Satisfaction follow-ups: one scheduled at each resolution after the profile's working-time delay
 * ({@code followup.scheduled}); when due, {@code followup.due}; half-way through the window a
 * reminder ({@code followup.due} of kind REMINDER); at its end, with no outcome,
 * {@code followup.completed} without a verdict and state NO_RESPONSE. An outcome recorded by an
 * agent is {@code followup.completed}; a dissatisfied one reopens the case (intake does that).
 */
@ApplicationScoped
public class Followups implements Wakeable {

    /** HQL: the case's follow-ups not yet answered (states as literals, so the plan is kept: {@link Hql}). */
    private static final String OPEN =
            "caseId = ?1 and " + Hql.in("state", List.of(Followup.State.SCHEDULED.name(), Followup.State.DUE.name()));

    private final Calendars calendars;
    private final EventEmitter emitter;
    private final Callers callers;
    private final SetAside setAside;

    public Followups(Calendars calendars, EventEmitter emitter, Callers callers, SetAside setAside) {
        this.calendars = calendars;
        this.setAside = setAside;
        this.emitter = emitter;
        this.callers = callers;
    }

    /** The case was resolved at {@code at}: schedules its satisfaction follow-up. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Followup schedule(
            CaseState c, String calendar, ProfileDefinition.FollowupSpec spec, Instant at, CaseEvent cause) {
        cancelOpen(c.caseId);
        BusinessCalendar cal = calendars.get(calendar);
        Duration window = Duration.parse(spec.window());
        Followup f = new Followup();
        f.id = UUID.randomUUID();
        f.caseId = c.caseId;
        f.reference = c.reference;
        f.customerId = c.customerId;
        f.kind = Followup.SATISFACTION;
        f.calendar = calendar;
        f.scheduledAt = at;
        f.dueAt = cal.plusBusinessTime(at, Duration.parse(spec.delay()));
        f.remindAt = cal.plusBusinessTime(f.dueAt, window.dividedBy(2));
        f.respondBy = cal.plusBusinessTime(f.dueAt, window);
        f.state = Followup.State.SCHEDULED.name();
        f.nextAt = f.dueAt;
        f.persist();
        emitter.emit(
                callers.system(),
                c.customerId,
                new FollowupScheduled(f.id, f.caseId, f.reference, f.kind, f.dueAt, null),
                cause);
        return f;
    }

    /** The case reopened or closed: follow-ups not yet answered are cancelled. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelOpen(UUID caseId) {
        for (Followup f : Followup.<Followup>list(OPEN, caseId)) {
            f.state = Followup.State.CANCELLED.name();
            f.nextAt = null;
        }
    }

    /** An agent's outcome; answers the follow-up as it now is. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Followup outcome(
            Followup f, boolean reached, Boolean satisfied, Integer rating, String feedback, String by, Instant at) {
        f.attempts++;
        if (!reached) {
            return f;
        }
        f.reached = true;
        f.satisfied = satisfied;
        f.rating = rating;
        f.feedback = feedback;
        f.completedBy = by;
        f.completedAt = at;
        f.state = Followup.State.COMPLETED.name();
        f.nextAt = null;
        emitter.emit(
                callers.agent(),
                f.customerId,
                new FollowupCompleted(f.id, f.caseId, f.reference, f.kind, satisfied, rating, feedback),
                null);
        return f;
    }

    @Override
    public String name() {
        return "followups";
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int fireDue(Instant now, int limit) {
        List<Followup> due = Wakeable.lockDue(Followup.class, "followup", r -> r.caseId, now, limit);
        for (Followup f : due) {
            if (setAside.read("follow-up", f.id, f.caseId, f::stateValue).isEmpty()) {
                f.nextAt = null;
                continue;
            }
            fire(f, now);
        }
        return due.size();
    }

    /** Moves a follow-up to the latest stage that has come: after an outage, only that one is announced. */
    private void fire(Followup f, Instant now) {
        Followup.State state = f.stateValue();
        if (state != Followup.State.SCHEDULED && state != Followup.State.DUE) {
            f.nextAt = null;
            return;
        }
        if (!now.isBefore(f.respondBy)) {
            f.state = Followup.State.NO_RESPONSE.name();
            f.completedAt = now;
            f.nextAt = null;
            emitter.emit(
                    callers.system(),
                    f.customerId,
                    new FollowupCompleted(f.id, f.caseId, f.reference, "NO_RESPONSE", null, null, null),
                    null);
        } else if (!now.isBefore(f.remindAt) && f.remindedAt == null) {
            f.state = Followup.State.DUE.name();
            f.remindedAt = now;
            f.nextAt = f.respondBy;
            emitter.emit(
                    callers.system(),
                    f.customerId,
                    new FollowupDue(f.id, f.caseId, f.reference, Followup.REMINDER, f.respondBy),
                    null);
        } else if (state == Followup.State.SCHEDULED && !now.isBefore(f.dueAt)) {
            f.state = Followup.State.DUE.name();
            f.nextAt = f.remindAt;
            emitter.emit(
                    callers.system(),
                    f.customerId,
                    new FollowupDue(f.id, f.caseId, f.reference, f.kind, f.dueAt),
                    null);
        } else {
            f.nextAt = state == Followup.State.SCHEDULED ? f.dueAt : f.remindedAt == null ? f.remindAt : f.respondBy;
        }
    }
}
