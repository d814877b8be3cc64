package redress.events.payload;

import java.util.UUID;

/**
 * {@code redress.case.reclassified}: a person changed the case's regulatory profile, product or
 * category, with a reason. The {@code previous*} fields are what it was; followup-service
 * recomputes the case's regulatory deadlines from its original receipt under the new profile.
 */
public record CaseReclassified(
        UUID caseId,
        String reference,
        String previousProfile,
        String profile,
        String previousProduct,
        String product,
        String previousCategory,
        String category,
        String reason)
        implements CasePayload {}
