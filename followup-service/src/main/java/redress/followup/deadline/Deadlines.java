package redress.followup.deadline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import redress.events.CaseEvent;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineCorrected;
import redress.events.payload.DeadlineWarning;
import redress.followup.CaseState;
import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.CalendarChanged;
import redress.followup.calendar.Calendars;
import redress.followup.profile.ClockSpec;
import redress.followup.profile.DeadlineSpec;
import redress.followup.profile.ExtensionSpec;
import redress.followup.profile.MeetingTokens;
import redress.followup.profile.ProfileDefinition;
import redress.followup.profile.ProfileVersion;
import redress.followup.wake.SetAside;
import redress.followup.wake.Wakeable;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;
import redress.support.time.Clocks;

/**
 * A case's deadlines: scheduled from its profile at receipt, met by what the profile says meets
 * each, paused and resumed with the case's status when pausable, re-armed on reopening, and fired
 * by the waker: {@code deadline.warning} at the profile's fractions of the time allowed,
 * {@code deadline.breached} when due (a window that is only met or missed is recorded, not emitted).
 */
@ApplicationScoped
public class Deadlines implements Wakeable {

    /** The kind of the deadline an {@code escalation.raised} starts. */
    public static final String ESCALATION_RESPONSE = "ESCALATION_RESPONSE";
    /** What meets an escalation-response deadline: the escalation acknowledged (or resolved). */
    public static final String ESCALATION_ACKNOWLEDGED = "ESCALATION_ACKNOWLEDGED";

    /**
     * At most this many parsed specs are kept. The distinct specs are few (the deadlines of the
     * profiles' versions, and the escalation response); past this many the cache starts again empty.
     */
    static final int SPEC_CACHE_SIZE = 256;

    private final Calendars calendars;
    private final EventEmitter emitter;
    private final Callers callers;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final SetAside setAside;
    /**
     * Parsed specs by their JSON, so a deadline's spec is not parsed again each time the waker fires
     * it (each firing loads the entity afresh, so a field on it would not last). Keyed by the JSON
     * itself, a hit is always right; a DeadlineSpec is immutable, so one instance is shared.
     */
    private final Map<String, DeadlineSpec> specs = new ConcurrentHashMap<>();

    public Deadlines(
            Calendars calendars,
            EventEmitter emitter,
            Callers callers,
            ObjectMapper mapper,
            Clock clock,
            SetAside setAside) {
        this.calendars = calendars;
        this.setAside = setAside;
        this.emitter = emitter;
        this.callers = callers;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Starts a deadline of the case from {@code spec} at {@code start}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Deadline schedule(CaseState c, String calendar, DeadlineSpec spec, Instant start, UUID escalationId) {
        Deadline d = build(c, calendar, spec, start, escalationId);
        d.persist();
        return d;
    }

    /** A new pending deadline of the case, not yet persisted. */
    private Deadline build(CaseState c, String calendar, DeadlineSpec spec, Instant start, UUID escalationId) {
        BusinessCalendar cal = calendars.get(calendar);
        Deadline d = new Deadline();
        d.id = UUID.randomUUID();
        d.caseId = c.caseId;
        d.kind = spec.kind();
        d.profile = c.profile == null ? "" : c.profile;
        d.profileVersion = c.profileVersion == null ? 0 : c.profileVersion;
        d.calendar = calendar;
        d.spec = json(spec);
        d.escalationId = escalationId;
        d.startedAt = start;
        d.dueAt = spec.clock().due(start, cal);
        d.allowedSeconds = Math.max(0, Duration.between(start, d.dueAt).toSeconds());
        d.state = Deadline.PENDING;
        if (spec.pausable() && c.pausedSince != null) {
            d.pausedAt = c.pausedSince.isAfter(start) ? c.pausedSince : start;
        }
        d.rearmWakeAt(warnings(d, spec));
        return d;
    }

    /**
     * Applies what happened ({@code m}: the tokens one event carried, at its time) to the case's
     * deadlines: first it extends the pending ones whose {@code extendedBy} it names, if it came
     * before they were due; then it meets those whose {@code metBy} it names: pending ones, and
     * breached or missed ones that its time shows were met in time after all. A window met in time
     * meets the deadlines it {@code discharges} too. Each records what met it (token and event).
     *
     * <p>What happened before a deadline's clock started neither meets nor extends it: a response
     * sent before a reopening that started the clock again, and recorded only after it (an
     * interaction's {@code occurredAt} may lie before it was recorded), answered the complaint as it
     * stood then.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void meet(CaseState c, Meeting m, CaseEvent cause) {
        List<Deadline> meetable = Deadline.<Deadline>list(
                "caseId = ?1 and startedAt <= ?2 and " + Deadline.IS_MEETABLE
                        + " and escalationId is null order by startedAt, id",
                c.caseId,
                m.at());
        meetAmong(c, meetable, m, cause, false);
        dischargeAgain(c, meetable, m, cause);
    }

    /**
     * A window met before a reopening is met again by a resolution before its due time: the
     * complaint is still one "resolved ... by close of business on the third business day" (DISP
     * 1.5.1R), so the deadlines the reopening armed again are discharged as the first resolution
     * discharged them. Looked for only on a resolution that leaves a deadline pending.
     */
    private void dischargeAgain(CaseState c, List<Deadline> meetable, Meeting m, CaseEvent cause) {
        if (!m.tokens().contains(MeetingTokens.RESOLVED) && !m.tokens().contains(MeetingTokens.SUMMARY_RESOLUTION)
                || meetable.stream().noneMatch(Deadlines::openToDischarge)) {
            return;
        }
        for (Deadline window : Deadline.<Deadline>list(
                "caseId = ?1 and state = ?2 and escalationId is null and dueAt >= ?3",
                c.caseId,
                Deadline.MET,
                m.at())) {
            DeadlineSpec spec = spec(window);
            String token = m.firstOf(spec.metBy());
            if (spec.discharges().isEmpty() || token == null) {
                continue;
            }
            for (Deadline other : meetable) {
                if (spec.discharges().contains(other.kind)
                        && other.profile.equals(window.profile)
                        && openToDischarge(other)) {
                    discharge(c, other, window, token, m, cause);
                }
            }
        }
    }

    /** Pending (and not met late in a recomputation, awaiting the waker), or announced breached or missed. */
    private static boolean openToDischarge(Deadline d) {
        return Deadline.MEETABLE.contains(d.state) && !(Deadline.PENDING.equals(d.state) && d.metAt != null);
    }

    /**
     * @param recomputing the deadlines were just computed again from the receipt (a reclassification):
     *                    one met after its due time is left pending, its meeting recorded, for the
     *                    waker to breach (or record missed) at its next pass, not announced here
     */
    private void meetAmong(CaseState c, List<Deadline> deadlines, Meeting m, CaseEvent cause, boolean recomputing) {
        for (Deadline d : deadlines) {
            extend(c, d, spec(d), m, cause);
        }
        for (Deadline d : deadlines) {
            if (!Deadline.MEETABLE.contains(d.state)) {
                continue; // met already (a recomputation's history can meet it twice), or no longer running
            }
            if (Deadline.PENDING.equals(d.state) && d.metAt != null) {
                continue; // met late in a recomputation, awaiting the waker
            }
            DeadlineSpec spec = spec(d);
            String token = m.firstOf(spec.metBy());
            if (token == null) {
                continue;
            }
            boolean met = Deadline.MET.equals(d.state);
            meetBy(c, d, spec, token, null, m, cause, recomputing);
            if (!met && Deadline.MET.equals(d.state) && !spec.discharges().isEmpty()) {
                for (Deadline other : deadlines) {
                    if (other != d
                            && spec.discharges().contains(other.kind)
                            && Deadline.MEETABLE.contains(other.state)) {
                        discharge(c, other, d, token, m, cause);
                    }
                }
            }
        }
    }

    /**
     * A window ({@code window}) was met in time, and the rule it stands for takes the complaint out
     * of the rule that {@code d} stands for (DISP 1.5.1R: the complaints time limit rules "do not
     * apply to a complaint that is resolved … by close of business on the third business day"). So
     * {@code d} is met through the window, whatever its own due time: one still pending is met; one
     * already announced breached (its due time came first, as an acknowledgement's does) or recorded
     * missed is met too, and {@code deadline.corrected} withdraws the announcement; one met late in a
     * recomputation, awaiting the waker's breach, is met instead.
     */
    private void discharge(CaseState c, Deadline d, Deadline window, String token, Meeting m, CaseEvent cause) {
        String withdrawn = d.state;
        d.state = Deadline.MET;
        d.metAt = m.at();
        d.nextAt = null;
        d.metByKind = token;
        d.metByEventId = m.eventId();
        d.metVia = window.kind;
        if (!Deadline.PENDING.equals(withdrawn)) {
            Log.infof(
                    "case %s: %s deadline was %s; discharged by the %s window met at %s: corrected",
                    d.caseId, d.kind, withdrawn, window.kind, m.at());
            emitCorrected(
                    c,
                    d,
                    m.at(),
                    withdrawn,
                    "discharged: " + token + " at " + m.at() + " met the " + window.kind + " window (due "
                            + window.dueAt + "), which takes the complaint out of the rule this deadline stands for",
                    cause);
        }
    }

    private void meetBy(
            CaseState c,
            Deadline d,
            DeadlineSpec spec,
            String token,
            String via,
            Meeting m,
            CaseEvent cause,
            boolean recomputing) {
        String state = d.state;
        Instant metAt = d.metAt;
        if (recomputing && Deadline.PENDING.equals(d.state) && m.at().isAfter(d.dueAt) && d.pausedAt == null) {
            d.metAt = m.at();
            d.nextAt = d.dueAt;
        } else {
            meetOne(c, d, spec, m.at(), cause);
        }
        if (!state.equals(d.state) || !Objects.equals(metAt, d.metAt)) {
            d.metByKind = token;
            d.metByEventId = m.eventId();
            d.metVia = via;
        }
    }

    /**
     * Gives a pending deadline longer, once, when {@code m} names its {@code extendedBy} and came
     * before it was due. One already announced breached whose extension, in time by its own time,
     * arrived after the announcement is pending again on the later due time, and
     * {@code deadline.corrected} withdraws the breach (the waker breaches it again if that time passes
     * unmet).
     */
    private void extend(CaseState c, Deadline d, DeadlineSpec spec, Meeting m, CaseEvent cause) {
        ExtensionSpec x = spec.extendedBy();
        boolean breached = Deadline.BREACHED.equals(d.state);
        if (x == null
                || d.extendedAt != null
                || !(Deadline.PENDING.equals(d.state) || breached)
                || d.metAt != null
                || !m.at().isBefore(d.dueAt)) {
            return;
        }
        String token = m.firstOf(x.by());
        if (token == null || !x.accepts(m.expectedBy(), m.elements())) {
            return;
        }
        BusinessCalendar cal = calendars.get(d.calendar);
        Instant extended = x.due(d.startedAt, cal, m.expectedBy());
        if (extended == null || !extended.isAfter(d.dueAt)) {
            return;
        }
        d.extendedByKind = token;
        d.extendedByEventId = m.eventId();
        d.extendedAt = m.at();
        d.extendedUntil = x.untilStatedDate() ? m.expectedBy() : null;
        if (breached) {
            d.state = Deadline.PENDING; // before its next wake is set: pending again on the later due time
        }
        applyExtension(d, spec, cal);
        if (breached) {
            emitCorrected(
                    c,
                    d,
                    null,
                    Deadline.BREACHED,
                    "extended to " + d.dueAt + " by " + token + " at " + m.at() + ", before the due time "
                            + d.originalDueAt + "; it arrived after the breach was announced",
                    cause);
        }
        Log.infof(
                "case %s: %s extended by %s (event %s) from %s to %s",
                d.caseId, d.kind, token, m.eventId(), d.originalDueAt, d.dueAt);
    }

    /**
     * The deadline's extension fields are set: its due time as computed so far becomes the original
     * one, the due time, the time allowed and the next wake follow from the extension.
     */
    private void applyExtension(Deadline d, DeadlineSpec spec, BusinessCalendar cal) {
        d.originalDueAt = d.dueAt;
        d.dueAt = dueOf(d, spec, cal);
        d.allowedSeconds = Math.max(0, Duration.between(d.startedAt, d.dueAt).toSeconds());
        d.rearmWakeAt(warnings(d, spec));
    }

    /** Meets the response deadline of an escalation (acknowledged or resolved). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void meetEscalation(CaseState c, UUID escalationId, Instant at, CaseEvent cause) {
        for (Deadline d : Deadline.<Deadline>list("escalationId = ?1 and " + Deadline.IS_MEETABLE, escalationId)) {
            meetOne(c, d, spec(d), at, cause);
        }
    }

    private void meetOne(CaseState c, Deadline d, DeadlineSpec spec, Instant at, CaseEvent cause) {
        if (!Deadline.PENDING.equals(d.state)) {
            settled(c, d, at, cause);
            return;
        }
        d.metAt = at;
        if (at.isAfter(d.dueAt) && d.pausedAt == null) {
            // Met late: the due time passed before the waker looked. It was breached (or missed).
            Deadline.Stage stage = d.fireAt(at, warnings(d, spec), spec.breachable());
            announce(c, d, stage, cause);
            d.metAt = at;
            return;
        }
        d.state = Deadline.MET;
        d.nextAt = null;
    }

    /**
     * A meeting event for a deadline already announced breached (or recorded missed). Met by its own
     * time at or before the due time, it arrived after the announcement (a relay held back, an
     * outage upstream): the record is corrected, MET at its real time, and {@code deadline.corrected}
     * withdraws the breach by name. Met after the due time, the breach stands and the time it was
     * met late is kept (the first such time).
     */
    private void settled(CaseState c, Deadline d, Instant at, CaseEvent cause) {
        if (at.isAfter(d.dueAt)) {
            if (d.metAt == null) {
                d.metAt = at;
            }
            return;
        }
        String withdrawn = d.state;
        d.state = Deadline.MET;
        d.metAt = at;
        d.nextAt = null;
        Log.infof(
                "case %s: %s deadline was %s but met at %s, before its due time %s: corrected",
                d.caseId, d.kind, withdrawn, at, d.dueAt);
        emitCorrected(
                c,
                d,
                at,
                withdrawn,
                "met at " + at + " by " + cause.type() + " " + cause.id() + ", which arrived after the due time",
                cause);
    }

    /**
     * {@code deadline.corrected} for the deadline as it now stands, withdrawing the announcement
     * ({@code d.breachEventId}) made when it was {@code withdrawnState}.
     *
     * @param metAt when it was met, or null (an extension, not a meeting)
     */
    private void emitCorrected(
            CaseState c, Deadline d, Instant metAt, String withdrawnState, String reason, CaseEvent cause) {
        emitter.emit(
                callers.system(),
                c.customerId,
                new DeadlineCorrected(
                        d.id,
                        d.caseId,
                        c.reference,
                        d.kind,
                        d.profile,
                        d.dueAt,
                        metAt,
                        withdrawnState,
                        d.breachEventId,
                        reason),
                cause);
    }

    /** Stops the case's pausable clocks (it awaits the customer). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pause(CaseState c, Instant at, CaseEvent cause) {
        for (Deadline d : Deadline.<Deadline>list(
                "caseId = ?1 and state = ?2 and pausedAt is null", c.caseId, Deadline.PENDING)) {
            if (spec(d).pausable() && !firedIfOverdue(c, d, at, cause)) {
                d.pausedAt = at;
                d.nextAt = null;
            }
        }
    }

    /** Restarts the case's paused clocks: each due time moves on by the (working) time it was paused. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resume(CaseState c, Instant at) {
        for (Deadline d : Deadline.<Deadline>list(
                "caseId = ?1 and state = ?2 and pausedAt is not null", c.caseId, Deadline.PENDING)) {
            DeadlineSpec spec = spec(d);
            BusinessCalendar cal = calendars.get(d.calendar);
            Duration paused = spec.clock().type() == ClockSpec.Type.CALENDAR_PERIOD
                    ? Duration.between(d.pausedAt, at)
                    : cal.businessTimeBetween(d.pausedAt, at);
            if (!paused.isNegative()) {
                d.extensionSeconds += paused.toSeconds();
            }
            d.pausedAt = null;
            d.dueAt = dueOf(d, spec, cal);
            d.rearmWakeAt(warnings(d, spec));
        }
    }

    /** Cancels the case's pending deadlines (it was closed at {@code at}); one already due by then is breached first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelAll(CaseState c, Instant at, CaseEvent cause) {
        for (Deadline d : Deadline.<Deadline>list("caseId = ?1 and state = ?2", c.caseId, Deadline.PENDING)) {
            if (!firedIfOverdue(c, d, at, cause)) {
                d.state = Deadline.CANCELLED;
                d.nextAt = null;
            }
        }
    }

    /**
     * A pending, running deadline already due by {@code at}, the time of an event about to stop,
     * pause or replace it, is first fired as the waker would have (breached, or a window missed),
     * caused by that event. The waker holds back until the consumer has read through a due time, so
     * the consumer can reach such an event first; without this the breach would never be announced.
     *
     * @return whether it was fired
     */
    private boolean firedIfOverdue(CaseState c, Deadline d, Instant at, CaseEvent cause) {
        if (!Deadline.PENDING.equals(d.state) || d.pausedAt != null || at.isBefore(d.dueAt)) {
            return false;
        }
        DeadlineSpec spec = spec(d);
        announce(c, d, d.fireAt(at, warnings(d, spec), spec.breachable()), cause);
        return true;
    }

    /**
     * The case was reopened at {@code at}: each deadline of its profile does what its
     * {@code onReopen} says ({@link DeadlineSpec#reopening()}). {@code RESTART}: a new one from the
     * reopening, unless one of that kind is still pending. {@code FROM_RECEIPT}: the regulator's
     * period from the first receipt runs on: when the latest one of that kind is no longer pending
     * and was not met by a written response that stands (a final, holding or substantive response
     * stays sent; a resolution, and a window's discharge, are undone by the reopening), a new one
     * with the same start and due time is pending again, if that due time is still to come.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reopened(CaseState c, ProfileDefinition def, Instant at) {
        for (DeadlineSpec spec : def.deadlines()) {
            String mode = spec.reopening();
            if (DeadlineSpec.NONE.equals(mode)) {
                rearmDischarged(c, def, spec, at);
                continue;
            }
            Deadline latest = latestOfKind(c, spec.kind());
            if (latest != null && Deadline.PENDING.equals(latest.state)) {
                continue;
            }
            if (DeadlineSpec.RESTART.equals(mode)) {
                schedule(c, def.calendar(), spec, at, null);
                continue;
            }
            if (latest != null && stands(latest)) {
                continue;
            }
            Deadline again = build(c, def.calendar(), spec, latest == null ? c.receivedAt : latest.startedAt, null);
            if (latest != null && latest.extendedAt != null) {
                again.extendedByKind = latest.extendedByKind;
                again.extendedByEventId = latest.extendedByEventId;
                again.extendedAt = latest.extendedAt;
                again.extendedUntil = latest.extendedUntil;
                applyExtension(again, spec, calendars.get(again.calendar));
            }
            if (again.dueAt.isAfter(at)) {
                again.persist();
            }
        }
    }

    /** The case's latest deadline of {@code kind} under its current profile, superseded ones left out. */
    private static Deadline latestOfKind(CaseState c, String kind) {
        return Deadline.<Deadline>find(
                        "caseId = ?1 and kind = ?2 and profile = ?3 and escalationId is null and state <> ?4 order by seq desc",
                        c.caseId,
                        kind,
                        c.profile,
                        Deadline.SUPERSEDED)
                .firstResult();
    }

    /**
     * A deadline that re-arms nothing on a reopening ({@code NONE}, an acknowledgement) but that a
     * window discharged, reopened while that window is still open: the discharge is undone with the
     * resolution it rested on (whether the complaint is resolved by the window's end is open again),
     * so it is pending again with its start and due time, breached by the waker if that time has
     * passed, and discharged again by a resolution within the window ({@link #dischargeAgain}).
     * Reopened after the window's end, the complaint was resolved within it, and the discharge stands.
     */
    private void rearmDischarged(CaseState c, ProfileDefinition def, DeadlineSpec spec, Instant at) {
        Deadline latest = latestOfKind(c, spec.kind());
        if (latest == null || !Deadline.MET.equals(latest.state) || latest.metVia == null) {
            return;
        }
        Deadline window = Deadline.<Deadline>find(
                        "caseId = ?1 and kind = ?2 and profile = ?3 and escalationId is null order by seq desc",
                        c.caseId,
                        latest.metVia,
                        c.profile)
                .firstResult();
        if (window != null && at.isBefore(window.dueAt)) {
            build(c, def.calendar(), spec, latest.startedAt, null).persist();
        }
    }

    /** Met by a written response, which a reopening does not undo (a resolution, or a window's discharge, it does). */
    private static boolean stands(Deadline d) {
        return Deadline.MET.equals(d.state)
                && d.metVia == null
                && d.metByKind != null
                && !MeetingTokens.RESOLVED.equals(d.metByKind);
    }

    /**
     * The case's profile changed to {@code profile} (its current version): its pending deadlines
     * are {@code SUPERSEDED} (the others stay, as history), the new profile's are scheduled from the
     * original receipt, and what already happened on the case ({@code history}, in order) is applied
     * to them: an acknowledged case's new acknowledgement deadline is met at the real time. One
     * already past due and unmet, or met only after its due time, is breached (or recorded missed)
     * by the waker at its next pass, not here.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reclassified(CaseState c, ProfileVersion profile, List<Meeting> history, CaseEvent cause) {
        for (Deadline d : Deadline.<Deadline>list(
                "caseId = ?1 and state = ?2 and escalationId is null", c.caseId, Deadline.PENDING)) {
            // Superseded even when overdue: the new profile's deadline of the same receipt is the one
            // that counts, and the waker breaches it if it was not met in time.
            d.state = Deadline.SUPERSEDED;
            d.nextAt = null;
        }
        c.profile = profile.name();
        c.profileVersion = profile.version();
        List<Deadline> recomputed = new ArrayList<>();
        for (DeadlineSpec spec : profile.definition().deadlines()) {
            recomputed.add(schedule(c, profile.definition().calendar(), spec, c.receivedAt, null));
        }
        for (Meeting m : history) {
            meetAmong(c, recomputed, m, cause, true);
        }
        Log.infof(
                "case %s: reclassified to %s version %d; %d deadlines computed again from the receipt %s",
                c.caseId, profile.name(), profile.version(), recomputed.size(), c.receivedAt);
    }

    /** A calendar changed: every pending deadline on it gets its due time computed again. */
    @Transactional(Transactional.TxType.MANDATORY)
    void calendarChanged(@Observes CalendarChanged changed) {
        BusinessCalendar cal = calendars.get(changed.name());
        int n = 0;
        for (Deadline d : Deadline.<Deadline>list("calendar = ?1 and state = ?2", changed.name(), Deadline.PENDING)) {
            DeadlineSpec spec = spec(d);
            if (d.originalDueAt != null) {
                d.originalDueAt = spec.clock().due(d.startedAt, cal);
            }
            d.dueAt = dueOf(d, spec, cal);
            d.rearmWakeAt(warnings(d, spec));
            n++;
        }
        Log.infof("calendar %s changed: %d pending deadlines recomputed", changed.name(), n);
    }

    /**
     * The due time from the start on the calendar: the spec's clock, or its extension's when that
     * was given and is later, then pushed back by the time it was paused.
     */
    private static Instant dueOf(Deadline d, DeadlineSpec spec, BusinessCalendar cal) {
        Instant base = spec.clock().due(d.startedAt, cal);
        if (d.extendedAt != null && spec.extendedBy() != null) {
            Instant extended = spec.extendedBy().due(d.startedAt, cal, d.extendedUntil);
            if (extended != null && extended.isAfter(base)) {
                base = extended;
            }
        }
        Duration ext = Duration.ofSeconds(d.extensionSeconds);
        if (ext.isZero()) {
            return base;
        }
        return spec.clock().type() == ClockSpec.Type.CALENDAR_PERIOD ? base.plus(ext) : cal.plusBusinessTime(base, ext);
    }

    @Override
    public String name() {
        return "deadlines";
    }

    /** What a due deadline is fired by: its spec and when its warnings fall. */
    private record Schedule(DeadlineSpec spec, List<Instant> warnings) {}

    /**
     * Fires the due deadlines of a batch with a fixed number of statements: their cases read in one
     * select, their events appended to the outbox as one batch, in the order fired.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int fireDue(Instant now, int limit) {
        List<Deadline> due = Wakeable.lockDue(Deadline.class, "deadline", r -> r.caseId, now, limit);
        if (due.isEmpty()) {
            return 0;
        }
        Map<UUID, CaseState> cases = new HashMap<>();
        CaseState.byIds(due.stream().map(d -> d.caseId).distinct().toList()).forEach(c -> cases.put(c.caseId, c));
        List<Deadline> announced = new ArrayList<>();
        List<EventEmitter.Emission> emissions = new ArrayList<>();
        for (Deadline d : due) {
            Optional<Schedule> read = setAside.read("deadline", d.id, d.caseId, () -> {
                DeadlineSpec spec = spec(d);
                return new Schedule(spec, warnings(d, spec));
            });
            if (read.isEmpty()) {
                d.nextAt = null;
                continue;
            }
            DeadlineSpec spec = read.get().spec();
            Deadline.Stage stage = d.fireAt(now, read.get().warnings(), spec.breachable());
            announcement(cases.get(d.caseId), d, stage, null).ifPresent(e -> {
                announced.add(d);
                emissions.add(e);
            });
        }
        List<CaseEvent> events = emitter.emitAll(emissions);
        for (int i = 0; i < announced.size(); i++) {
            if (emissions.get(i).payload() instanceof DeadlineBreached) {
                announced.get(i).breachEventId = events.get(i).id();
            }
        }
        return due.size();
    }

    private void announce(CaseState c, Deadline d, Deadline.Stage stage, CaseEvent cause) {
        announcement(c, d, stage, cause).ifPresent(e -> {
            CaseEvent event = emitter.emit(e.actor(), e.customerId(), e.payload(), e.cause());
            if (stage == Deadline.Stage.BREACH) {
                d.breachEventId = event.id();
            }
        });
    }

    /** The event that announces the stage the deadline reached, if any (a missed window is only logged). */
    private Optional<EventEmitter.Emission> announcement(
            CaseState c, Deadline d, Deadline.Stage stage, CaseEvent cause) {
        String customer = c == null ? null : c.customerId;
        String reference = c == null ? null : c.reference;
        return switch (stage) {
            case WARNING ->
                Optional.of(new EventEmitter.Emission(
                        callers.system(),
                        customer,
                        new DeadlineWarning(d.id, d.caseId, reference, d.kind, d.profile, d.dueAt),
                        cause));
            case BREACH ->
                Optional.of(new EventEmitter.Emission(
                        callers.system(),
                        customer,
                        new DeadlineBreached(d.id, d.caseId, reference, d.kind, d.profile, d.dueAt),
                        cause));
            case MISSED -> {
                Log.infof("case %s: %s window of %s missed (recorded, not a breach)", d.caseId, d.kind, d.profile);
                yield Optional.empty();
            }
            case NONE -> Optional.empty();
        };
    }

    /**
     * When the deadline's warnings fall: at the spec's fractions of the time allowed, counted in
     * working time on a working-time clock (business hours, the close of a business day), so that
     * half of two working days is the end of the first working day, not a Sunday; in wall time on
     * a calendar-period or elapsed-time clock. Time the clock was paused moves them on, as it moved
     * the due time.
     */
    List<Instant> warnings(Deadline d, DeadlineSpec spec) {
        if (spec.warnAt().isEmpty() || spec.clock().type() == ClockSpec.Type.CALENDAR_PERIOD) {
            return d.warningTimes(spec.warnAt());
        }
        BusinessCalendar cal = calendars.get(d.calendar);
        Duration paused = Duration.ofSeconds(d.extensionSeconds);
        Duration allowed = cal.businessTimeBetween(d.startedAt, d.dueAt).minus(paused);
        if (allowed.isNegative() || allowed.isZero()) {
            return d.warningTimes(spec.warnAt());
        }
        List<Instant> times = new ArrayList<>(spec.warnAt().size());
        for (double f : spec.warnAt()) {
            Duration into =
                    Duration.ofSeconds(Math.round(f * allowed.toSeconds())).plus(paused);
            times.add(cal.plusBusinessTime(d.startedAt, into));
        }
        return times;
    }

    /** The spec the deadline was scheduled from (parsed once per distinct JSON, then cached). */
    public DeadlineSpec spec(Deadline d) {
        DeadlineSpec cached = specs.get(d.spec);
        if (cached != null) {
            return cached;
        }
        DeadlineSpec parsed;
        try {
            parsed = mapper.readValue(d.spec, DeadlineSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("deadline " + d.id + " holds an unreadable spec", e);
        }
        if (specs.size() >= SPEC_CACHE_SIZE) {
            specs.clear();
        }
        specs.put(d.spec, parsed);
        return parsed;
    }

    private String json(DeadlineSpec spec) {
        try {
            return mapper.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Now, from the service's clock. */
    public Instant now() {
        return Clocks.now(clock);
    }
}
