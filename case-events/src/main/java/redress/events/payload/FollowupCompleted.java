package redress.events.payload;

import java.util.UUID;

/**
 * {@code redress.followup.completed}: the customer was asked; {@code satisfied == false} reopens the
 * case; a follow-up that does not say ({@code null}) changes nothing.
 *
 * @param rating 1 to 5, or null when the customer gave none
 */
public record FollowupCompleted(
        UUID followupId, UUID caseId, String reference, String kind, Boolean satisfied, Integer rating, String feedback)
        implements CasePayload {}
