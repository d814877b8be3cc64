package redress.followup.deadline;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A deadline as the API shows it.
 *
 * @param status            PENDING, WARNED (pending, a warning sent), PAUSED, MET, BREACHED, MISSED,
 *                          CANCELLED (the case was closed) or SUPERSEDED (the case's profile changed)
 * @param metBy             what met it, once met (also when met late: BREACHED with {@code metAt}); null before
 * @param extension         what gave it longer before it was due (DISP 1.6.2AR's holding reply, RG 271's
 *                          delay notification), with the due time it had before; null when not extended
 * @param businessTimeLeft  working time from now to the due time on its calendar (negative once
 *                          overdue), ISO-8601; null once it is no longer pending
 * @param timeLeft          the same in wall-clock time
 */
public record DeadlineView(
        UUID id,
        UUID caseId,
        String kind,
        String profile,
        int profileVersion,
        String calendar,
        UUID escalationId,
        Instant startedAt,
        Instant dueAt,
        String status,
        boolean paused,
        int warningsSent,
        Instant metAt,
        MetBy metBy,
        Extension extension,
        Instant firedAt,
        String businessTimeLeft,
        String timeLeft,
        boolean provisional) {

    /**
     * @param kind    the meeting token: {@code ACKNOWLEDGED}, {@code RESOLVED}, {@code HOLDING_RESPONSE},
     *                {@code SUBSTANTIVE_RESPONSE:CLOSED}, ...
     * @param eventId the case event that carried it
     * @param via     the window, met in time, that met this deadline on its behalf
     *                ({@code SUMMARY_RESOLUTION}, {@code FIVE_DAY_CLOSE}), else null
     */
    public record MetBy(String kind, UUID eventId, String via) {}

    /**
     * @param kind          the token that extended it ({@code HOLDING_RESPONSE}, {@code DELAY_NOTICE})
     * @param eventId       the case event that carried it
     * @param at            when that communication was sent
     * @param statedDate    the date it gave the complainant, when the deadline runs to it; else null
     * @param originalDueAt the due time before the extension
     */
    public record Extension(String kind, UUID eventId, Instant at, Instant statedDate, Instant originalDueAt) {}

    /**
     * @param beyondKnownHolidays its due time falls after the last year its calendar has holidays for
     *                    ({@link redress.followup.calendar.BusinessCalendar#holidaysKnownThrough}): while
     *                    pending it is shown provisional, computed as if that span had none, and moves
     *                    when they are imported
     */
    static DeadlineView of(Deadline d, Duration businessLeft, Instant now, boolean beyondKnownHolidays) {
        boolean pending = Deadline.PENDING.equals(d.state);
        String status = !pending ? d.state : d.pausedAt != null ? "PAUSED" : d.warned() ? "WARNED" : Deadline.PENDING;
        MetBy metBy = d.metByKind == null ? null : new MetBy(d.metByKind, d.metByEventId, d.metVia);
        Extension extension = d.extendedAt == null
                ? null
                : new Extension(d.extendedByKind, d.extendedByEventId, d.extendedAt, d.extendedUntil, d.originalDueAt);
        return new DeadlineView(
                d.id,
                d.caseId,
                d.kind,
                d.profile,
                d.profileVersion,
                d.calendar,
                d.escalationId,
                d.startedAt,
                d.dueAt,
                status,
                d.pausedAt != null,
                d.warningsSent,
                d.metAt,
                metBy,
                extension,
                d.firedAt,
                pending ? businessLeft.toString() : null,
                pending ? Duration.between(now, d.dueAt).toString() : null,
                pending && beyondKnownHolidays);
    }
}
