package redress.followup.progress;

import java.time.Instant;
import java.util.UUID;

/**
 * A progress-update reminder as the API shows it: since when the customer has heard nothing
 * ({@code lastHeardAt}, {@code lastHeardBy}), when an update is due, and what sent it.
 */
public record ProgressUpdateView(
        UUID id,
        UUID caseId,
        String reference,
        String profile,
        int profileVersion,
        String calendar,
        String cadence,
        Integer workingDays,
        Instant lastHeardAt,
        String lastHeardBy,
        Instant dueAt,
        String status,
        Instant firedAt,
        UUID dueEventId,
        Instant sentAt,
        SentBy sentBy,
        Instant cancelledAt) {

    /** The outbound contact that sent it: its kind ({@code OUTBOUND}, {@code HOLDING_RESPONSE}, ...) and event. */
    public record SentBy(String kind, UUID eventId) {}

    static ProgressUpdateView of(ProgressUpdate p) {
        return new ProgressUpdateView(
                p.id,
                p.caseId,
                p.reference,
                p.profile,
                p.profileVersion,
                p.calendar,
                p.cadence,
                p.workingDays,
                p.lastHeardAt,
                p.lastHeardBy,
                p.dueAt,
                p.state,
                p.firedAt,
                p.dueEventId,
                p.sentAt,
                p.sentByEventId == null ? null : new SentBy(p.sentByKind, p.sentByEventId),
                p.cancelledAt);
    }
}
