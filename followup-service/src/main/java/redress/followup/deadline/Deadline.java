package redress.followup.deadline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.support.db.Hql;

/**
 * One deadline of a case. Its stages are the warnings at fractions of the time allowed and then
 * the due time; {@link #fire} moves it to the latest stage that has come, so after an outage only
 * that one is announced (never a warning after its breach). Plain state: the service around it
 * emits the events.
 */
@Entity
public class Deadline extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String MET = "MET";
    public static final String BREACHED = "BREACHED";
    /** The end of a window that is only met or missed (DISP 1.5's three business days). */
    public static final String MISSED = "MISSED";

    public static final String CANCELLED = "CANCELLED";
    /** Replaced when the case's profile changed: the new profile's deadline of the same receipt is the one that counts. */
    public static final String SUPERSEDED = "SUPERSEDED";
    /** The states a meeting event acts on: pending, or announced breached or missed (then it may correct them). */
    public static final List<String> MEETABLE = List.of(PENDING, BREACHED, MISSED);
    /** HQL: the deadline is {@link #MEETABLE} (written as literals, so the query's plan is kept: {@link Hql}). */
    static final String IS_MEETABLE = Hql.in("state", MEETABLE);

    @Id
    public UUID id;

    public UUID caseId;
    public String kind;
    public String profile;
    public int profileVersion;
    public String calendar;
    /** The DeadlineSpec it was scheduled from, as JSON. */
    public String spec;

    public UUID escalationId;
    public Instant startedAt;
    public Instant dueAt;
    /** The time allowed when it started, wall-clock seconds from start to due; warnings fall at fractions of it before the due time. */
    public long allowedSeconds;
    /** Working (or wall) time the due time was pushed back by pauses. */
    public long extensionSeconds;

    public String state;
    public int warningsSent;
    public Instant pausedAt;
    public Instant metAt;
    public Instant firedAt;
    public Instant nextAt;
    /** The {@code deadline.breached} announced for it, which a correction withdraws by name. */
    public UUID breachEventId;

    @Version
    public int version;
    /** The meeting token that met it ({@code FINAL_RESPONSE}, {@code SUBSTANTIVE_RESPONSE:CLOSED}, ...) and the event that carried it. */
    public String metByKind;

    public UUID metByEventId;
    /** The kind of the window (met in time) that met it on its behalf (DISP 1.5, RG 271's five business days), else null. */
    public String metVia;
    /** The token, event and time of the communication that gave it longer (DISP 1.6.2AR's holding reply), else null. */
    public String extendedByKind;

    public UUID extendedByEventId;
    public Instant extendedAt;
    /** The date that communication stated, when the extension runs to it (RG 271's delay notification). */
    public Instant extendedUntil;
    /** The due time before it was extended. */
    public Instant originalDueAt;
    /** The order deadlines were scheduled in (the database assigns it): a case's listing breaks ties of start with it. */
    @Column(insertable = false, updatable = false)
    public long seq;

    /** What a call to {@link #fire} announced. */
    public enum Stage {
        NONE,
        WARNING,
        BREACH,
        MISSED
    }

    /** The times of its warnings, in order, given the fractions of the time allowed, in wall time. */
    public List<Instant> warningTimes(List<Double> warnAt) {
        List<Instant> times = new ArrayList<>();
        for (double f : warnAt) {
            long before = Math.round((1 - f) * allowedSeconds);
            times.add(dueAt.minus(Duration.ofSeconds(before)));
        }
        return times;
    }

    /**
     * Moves a pending, running deadline to the latest stage whose time has come by {@code now}: the
     * breach (or miss) when due, else the latest warning not yet sent; sets when to look next.
     */
    public Stage fire(Instant now, List<Double> warnAt, boolean breachable) {
        return fireAt(now, warningTimes(warnAt), breachable);
    }

    /** As {@link #fire}, with its warnings' times given (working time on a working-time clock: {@code Deadlines}). */
    public Stage fireAt(Instant now, List<Instant> warnings, boolean breachable) {
        if (!PENDING.equals(state) || pausedAt != null) {
            nextAt = null;
            return Stage.NONE;
        }
        if (!now.isBefore(dueAt)) {
            state = breachable ? BREACHED : MISSED;
            firedAt = now;
            nextAt = null;
            return breachable ? Stage.BREACH : Stage.MISSED;
        }
        int reached = 0;
        for (Instant w : warnings) {
            if (!now.isBefore(w)) {
                reached++;
            }
        }
        Stage stage = Stage.NONE;
        if (reached > warningsSent) {
            warningsSent = reached;
            firedAt = now;
            stage = Stage.WARNING;
        }
        nextAt = warningsSent < warnings.size() ? warnings.get(warningsSent) : dueAt;
        return stage;
    }

    /** When it should next be looked at, from its state alone: the next warning not sent, or the due time. */
    public void rearmWake(List<Double> warnAt) {
        rearmWakeAt(warningTimes(warnAt));
    }

    /** As {@link #rearmWake}, with its warnings' times given. */
    public void rearmWakeAt(List<Instant> warnings) {
        if (!PENDING.equals(state) || pausedAt != null) {
            nextAt = null;
            return;
        }
        nextAt = warningsSent < warnings.size() ? warnings.get(warningsSent) : dueAt;
    }

    public boolean warned() {
        return warningsSent > 0;
    }
}
