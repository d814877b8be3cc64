package redress.followup.deadline;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A deadline as the API shows it.
 *
 * @param status            PENDING, WARNED (pending, a warning sent), PAUSED, MET, BREACHED, MISSED or CANCELLED
 * @param businessTimeLeft  working time from now to the due time on its calendar (negative once
 *                          overdue), ISO-8601; null once it is no longer pending
 * @param timeLeft          the same in wall-clock time
 */
public record DeadlineView(UUID id, UUID caseId, String kind, String profile, int profileVersion, String calendar,
        UUID escalationId, Instant startedAt, Instant dueAt, String status, boolean paused, int warningsSent,
        Instant metAt, Instant firedAt, String businessTimeLeft, String timeLeft) {

    static DeadlineView of(Deadline d, Duration businessLeft, Instant now) {
        boolean pending = Deadline.PENDING.equals(d.state);
        String status = !pending ? d.state : d.pausedAt != null ? "PAUSED" : d.warned() ? "WARNED" : Deadline.PENDING;
        return new DeadlineView(d.id, d.caseId, d.kind, d.profile, d.profileVersion, d.calendar, d.escalationId,
                d.startedAt, d.dueAt, status, d.pausedAt != null, d.warningsSent, d.metAt, d.firedAt,
                pending ? businessLeft.toString() : null, pending ? Duration.between(now, d.dueAt).toString() : null);
    }
}
