package redress.followup.deadline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import redress.events.payload.DeadlineWarning;
import redress.followup.CaseState;
import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.CalendarChanged;
import redress.followup.calendar.Calendars;
import redress.followup.profile.ClockSpec;
import redress.followup.profile.DeadlineSpec;
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
    /**
     * Parsed specs by their JSON, so a deadline's spec is not parsed again each time the waker fires
     * it (each firing loads the entity afresh, so a field on it would not last). Keyed by the JSON
     * itself, a hit is always right; a DeadlineSpec is immutable, so one instance is shared.
     */
    private final Map<String, DeadlineSpec> specs = new ConcurrentHashMap<>();

    public Deadlines(Calendars calendars, EventEmitter emitter, Callers callers, ObjectMapper mapper, Clock clock) {
        this.calendars = calendars;
        this.emitter = emitter;
        this.callers = callers;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Starts a deadline of the case from {@code spec} at {@code start}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Deadline schedule(CaseState c, String calendar, DeadlineSpec spec, Instant start, UUID escalationId) {
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
        d.rearmWake(spec.warnAt());
        d.persist();
        return d;
    }

    /** Meets the case's pending deadlines that {@code metBy} meets (e.g. RESOLVED), at {@code at}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void meet(CaseState c, String metBy, Instant at, CaseEvent cause) {
        for (Deadline d : Deadline.<Deadline>list("caseId = ?1 and state = ?2 and escalationId is null", c.caseId,
                Deadline.PENDING)) {
            DeadlineSpec spec = spec(d);
            if (metBy.equals(spec.metBy())) {
                meetOne(c, d, spec, at, cause);
            }
        }
    }

    /** Meets the response deadline of an escalation (acknowledged or resolved). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void meetEscalation(CaseState c, UUID escalationId, Instant at, CaseEvent cause) {
        for (Deadline d : Deadline.<Deadline>list("escalationId = ?1 and state = ?2", escalationId, Deadline.PENDING)) {
            meetOne(c, d, spec(d), at, cause);
        }
    }

    private void meetOne(CaseState c, Deadline d, DeadlineSpec spec, Instant at, CaseEvent cause) {
        d.metAt = at;
        if (at.isAfter(d.dueAt) && d.pausedAt == null) {
            // Met late: the due time passed before the waker looked. It was breached (or missed).
            Deadline.Stage stage = d.fire(at, spec.warnAt(), spec.breachable());
            announce(c, d, stage, cause);
            d.metAt = at;
            return;
        }
        d.state = Deadline.MET;
        d.nextAt = null;
    }

    /** Stops the case's pausable clocks (it awaits the customer). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pause(CaseState c, Instant at) {
        for (Deadline d : Deadline.<Deadline>list("caseId = ?1 and state = ?2 and pausedAt is null", c.caseId,
                Deadline.PENDING)) {
            if (spec(d).pausable()) {
                d.pausedAt = at;
                d.nextAt = null;
            }
        }
    }

    /** Restarts the case's paused clocks: each due time moves on by the (working) time it was paused. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resume(CaseState c, Instant at) {
        for (Deadline d : Deadline.<Deadline>list("caseId = ?1 and state = ?2 and pausedAt is not null", c.caseId,
                Deadline.PENDING)) {
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
            d.rearmWake(spec.warnAt());
        }
    }

    /** Cancels the case's pending deadlines (it was closed). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelAll(CaseState c) {
        for (Deadline d : Deadline.<Deadline>list("caseId = ?1 and state = ?2", c.caseId, Deadline.PENDING)) {
            d.state = Deadline.CANCELLED;
            d.nextAt = null;
        }
    }

    /** A calendar changed: every pending deadline on it gets its due time computed again. */
    @Transactional(Transactional.TxType.MANDATORY)
    void calendarChanged(@Observes CalendarChanged changed) {
        BusinessCalendar cal = calendars.get(changed.name());
        int n = 0;
        for (Deadline d : Deadline.<Deadline>list("calendar = ?1 and state = ?2", changed.name(), Deadline.PENDING)) {
            DeadlineSpec spec = spec(d);
            d.dueAt = dueOf(d, spec, cal);
            d.rearmWake(spec.warnAt());
            n++;
        }
        Log.infof("calendar %s changed: %d pending deadlines recomputed", changed.name(), n);
    }

    private static Instant dueOf(Deadline d, DeadlineSpec spec, BusinessCalendar cal) {
        Instant base = spec.clock().due(d.startedAt, cal);
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

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int fireDue(Instant now, int limit) {
        @SuppressWarnings("unchecked")
        List<Deadline> due = Deadline.getEntityManager().createNativeQuery(
                "SELECT * FROM deadline WHERE next_at <= ?1 ORDER BY next_at LIMIT ?2 FOR UPDATE SKIP LOCKED",
                Deadline.class).setParameter(1, now).setParameter(2, limit).getResultList();
        for (Deadline d : due) {
            DeadlineSpec spec = spec(d);
            Deadline.Stage stage = d.fire(now, spec.warnAt(), spec.breachable());
            CaseState c = CaseState.findById(d.caseId);
            announce(c, d, stage, null);
        }
        return due.size();
    }

    private void announce(CaseState c, Deadline d, Deadline.Stage stage, CaseEvent cause) {
        String customer = c == null ? null : c.customerId;
        String reference = c == null ? null : c.reference;
        switch (stage) {
            case WARNING -> emitter.emit(callers.system(), customer,
                    new DeadlineWarning(d.id, d.caseId, reference, d.kind, d.profile, d.dueAt), cause);
            case BREACH -> emitter.emit(callers.system(), customer,
                    new DeadlineBreached(d.id, d.caseId, reference, d.kind, d.profile, d.dueAt), cause);
            case MISSED -> Log.infof("case %s: %s window of %s missed (recorded, not a breach)", d.caseId, d.kind, d.profile);
            case NONE -> {
            }
        }
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
