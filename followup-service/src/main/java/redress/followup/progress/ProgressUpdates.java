package redress.followup.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.payload.ProgressUpdateDue;
import redress.followup.CaseState;
import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.CalendarChanged;
import redress.followup.calendar.Calendars;
import redress.followup.profile.ProfileDefinition;
import redress.followup.profile.Profiles;
import redress.followup.wake.SetAside;
import redress.followup.wake.Wakeable;
import redress.support.db.Hql;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;

/**
 * Keeps one progress-update reminder pending per open case whose profile version has a cadence: due
 * when the customer has heard nothing from the firm for that long since the last time they did (the
 * receipt, the acknowledgement, an outbound contact, a reopening). A contact before the due time moves
 * it on; at the due time it becomes DUE and {@code progress-update.due} is emitted, once; the next
 * contact sends it and starts the next one. A resolution or a closing cancels it; a reopening starts
 * one again.
 */
@ApplicationScoped
public class ProgressUpdates implements Wakeable {

    public static final String RECEIPT = "RECEIPT";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String REOPENED = "REOPENED";

    /** HQL: the case's reminder still to be sent (its states as literals, so the plan is kept: {@link Hql}). */
    private static final String OPEN = "caseId = ?1 and "
            + Hql.in("state", List.of(ProgressUpdate.State.PENDING.name(), ProgressUpdate.State.DUE.name()));

    private final Calendars calendars;
    private final EventEmitter emitter;
    private final Callers callers;
    private final SetAside setAside;
    private final Profiles profiles;

    public ProgressUpdates(
            Calendars calendars, EventEmitter emitter, Callers callers, SetAside setAside, Profiles profiles) {
        this.profiles = profiles;
        this.calendars = calendars;
        this.emitter = emitter;
        this.callers = callers;
        this.setAside = setAside;
    }

    /** Whether a case in {@code status} is open: anything but RESOLVED and CLOSED (a reopened case is open again). */
    public static boolean isOpen(String status) {
        return !CaseStatus.RESOLVED.name().equals(status)
                && !CaseStatus.CLOSED.name().equals(status);
    }

    /**
     * The case's receipt at {@code at}: its first reminder from then. Nothing is looked for: a reminder
     * is scheduled only for a case with a profile, which its receipt gives it, so none is open before.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void received(CaseState c, ProfileDefinition def, Instant at) {
        note(c, at, RECEIPT);
        schedule(c, def, at, RECEIPT);
    }

    /**
     * The case's clock starts again (a reopening) at {@code at}: a reminder from then, unless one is
     * already open. The customer's last contact is noted either way.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void start(CaseState c, ProfileDefinition def, Instant at, String by) {
        note(c, at, by);
        if (open(c.caseId).isEmpty()) {
            schedule(c, def, at, by);
        }
    }

    /**
     * The customer heard from the firm at {@code at} ({@code by}: ACKNOWLEDGED or the interaction's kind,
     * in {@code event}): a pending reminder due later moves on; a due one (or a pending one whose due
     * time had passed before it was announced) is sent by it, and the next one starts from it. A contact
     * older than the last one changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void heard(CaseState c, ProfileDefinition def, Instant at, String by, CaseEvent event) {
        if (c.lastHeardAt != null && at.isBefore(c.lastHeardAt)) {
            return;
        }
        note(c, at, by);
        Optional<ProgressUpdate> open = open(c.caseId);
        if (open.isPresent()) {
            ProgressUpdate p = open.get();
            if (!at.isAfter(p.lastHeardAt)) {
                return;
            }
            if (p.stateValue() == ProgressUpdate.State.PENDING && at.isBefore(p.dueAt)) {
                p.lastHeardAt = at;
                p.lastHeardBy = by;
                p.dueAt = dueAt(def, p.calendar, at);
                p.nextAt = p.dueAt;
                return;
            }
            p.state = ProgressUpdate.State.SENT.name();
            p.sentAt = at;
            p.sentByEventId = event.id();
            p.sentByKind = by;
            p.nextAt = null;
            // The partial unique index allows one open reminder a case: the update goes first.
            ProgressUpdate.getEntityManager().flush();
        }
        if (isOpen(c.status)) {
            schedule(c, def, at, by);
        }
    }

    /** The case was resolved or closed: its open reminder is cancelled. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void end(UUID caseId, Instant at) {
        open(caseId).ifPresent(p -> {
            p.state = ProgressUpdate.State.CANCELLED.name();
            p.cancelledAt = at;
            p.nextAt = null;
        });
    }

    /**
     * The case took another profile (version): its open reminder is cancelled and, if the case is open,
     * one on the new profile's cadence starts from the customer's last contact.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reclassified(CaseState c, ProfileDefinition def, Instant at) {
        end(c.caseId, at);
        ProgressUpdate.getEntityManager().flush();
        if (isOpen(c.status) && c.lastHeardAt != null) {
            schedule(c, def, c.lastHeardAt, c.lastHeardBy);
        }
    }

    /**
     * A calendar's hours or holidays changed (in the changing transaction): the pending reminders on it
     * are due again the cadence after their last contact, on the calendar as it now is.
     */
    void calendarChanged(@Observes CalendarChanged changed) {
        int n = 0;
        for (ProgressUpdate p : ProgressUpdate.<ProgressUpdate>list(
                "calendar = ?1 and state = ?2", changed.name(), ProgressUpdate.State.PENDING.name())) {
            ProfileDefinition def =
                    profiles.version(p.profile, p.profileVersion).definition();
            if (def.progressUpdate() == null) {
                continue; // the reminder came from a cadence the case's version has not: leave it as it was
            }
            p.dueAt = dueAt(def, p.calendar, p.lastHeardAt);
            p.nextAt = p.dueAt;
            n++;
        }
        Log.infof("calendar %s changed: %d pending progress-update reminders recomputed", changed.name(), n);
    }

    private static void note(CaseState c, Instant at, String by) {
        if (c.lastHeardAt == null || !at.isBefore(c.lastHeardAt)) {
            c.lastHeardAt = at;
            c.lastHeardBy = by;
        }
    }

    private static Optional<ProgressUpdate> open(UUID caseId) {
        return ProgressUpdate.<ProgressUpdate>find(OPEN, caseId).firstResultOptional();
    }

    private void schedule(CaseState c, ProfileDefinition def, Instant from, String by) {
        ProfileDefinition.ProgressUpdateSpec spec = def.progressUpdate();
        if (spec == null || c.profile == null) {
            return; // a version without a cadence: no reminders
        }
        ProgressUpdate p = new ProgressUpdate();
        p.id = UUID.randomUUID();
        p.caseId = c.caseId;
        p.reference = c.reference;
        p.customerId = c.customerId;
        p.profile = c.profile;
        p.profileVersion = c.profileVersion;
        p.calendar = def.calendar();
        p.workingDays = spec.everyWorkingDays();
        p.cadence = spec.everyWorkingDays() != null
                ? spec.everyWorkingDays() + " working days"
                : spec.every() + " of working time";
        p.lastHeardAt = from;
        p.lastHeardBy = by;
        p.dueAt = dueAt(def, p.calendar, from);
        p.state = ProgressUpdate.State.PENDING.name();
        p.createdAt = from;
        p.nextAt = p.dueAt;
        p.persist();
    }

    /**
     * N working days: the close of the Nth business day after the day of the last contact (so a whole
     * N business days pass without news); a working time: that much working time after it.
     */
    private Instant dueAt(ProfileDefinition def, String calendar, Instant from) {
        BusinessCalendar cal = calendars.get(calendar);
        ProfileDefinition.ProgressUpdateSpec spec = def.progressUpdate();
        if (spec.everyWorkingDays() != null) {
            return cal.closeOfBusinessDay(from, spec.everyWorkingDays());
        }
        return cal.plusBusinessTime(from, Duration.parse(spec.every()));
    }

    @Override
    public String name() {
        return "progress-updates";
    }

    /** Fires a batch's due reminders, their events appended to the outbox as one batch, in the order fired. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int fireDue(Instant now, int limit) {
        List<ProgressUpdate> due = Wakeable.lockDue(ProgressUpdate.class, "progress_update", r -> r.caseId, now, limit);
        List<ProgressUpdate> fired = new ArrayList<>();
        for (ProgressUpdate p : due) {
            if (setAside.read("progress update", p.id, p.caseId, p::stateValue).isEmpty()) {
                p.nextAt = null;
                continue;
            }
            if (fire(p, now)) {
                fired.add(p);
            }
        }
        if (fired.isEmpty()) {
            return due.size();
        }
        List<CaseEvent> events = emitter.emitAll(fired.stream()
                .map(p -> new EventEmitter.Emission(
                        callers.system(),
                        p.customerId,
                        new ProgressUpdateDue(
                                p.id, p.caseId, p.reference, p.profile, p.lastHeardAt, p.dueAt, p.workingDays),
                        null))
                .toList());
        for (int i = 0; i < fired.size(); i++) {
            fired.get(i).dueEventId = events.get(i).id();
        }
        return due.size();
    }

    /** Moves a pending reminder to DUE when its time has come; true when it did (its event is then to be emitted). */
    private boolean fire(ProgressUpdate p, Instant now) {
        if (p.stateValue() != ProgressUpdate.State.PENDING) {
            p.nextAt = null;
            return false;
        }
        if (now.isBefore(p.dueAt)) {
            p.nextAt = p.dueAt;
            return false;
        }
        p.state = ProgressUpdate.State.DUE.name();
        p.firedAt = now;
        p.nextAt = null;
        return true;
    }
}
