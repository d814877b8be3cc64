package redress.events.payload;

import java.util.UUID;

/**
 * {@code redress.followup.completed}: the customer was asked; {@code satisfied == false} reopens the
 * case.
 *
 * @param rating 1 to 5, or null when the customer gave none
 */
public record FollowupCompleted(UUID followupId, UUID caseId, String reference, String kind, boolean satisfied,
        Integer rating, String feedback) implements CasePayload {
}
