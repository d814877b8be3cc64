package redress.followup.satisfaction;

import java.time.Instant;
import java.util.UUID;

/** A follow-up as the API shows it. */
public record FollowupView(
        UUID id,
        UUID caseId,
        String reference,
        String kind,
        String state,
        Instant scheduledAt,
        Instant dueAt,
        Instant remindAt,
        Instant respondBy,
        Instant remindedAt,
        int attempts,
        Boolean reached,
        Boolean satisfied,
        Integer rating,
        String feedback,
        String completedBy,
        Instant completedAt) {

    static FollowupView of(Followup f) {
        return new FollowupView(
                f.id,
                f.caseId,
                f.reference,
                f.kind,
                f.state,
                f.scheduledAt,
                f.dueAt,
                f.remindAt,
                f.respondBy,
                f.remindedAt,
                f.attempts,
                f.reached,
                f.satisfied,
                f.rating,
                f.feedback,
                f.completedBy,
                f.completedAt);
    }
}
