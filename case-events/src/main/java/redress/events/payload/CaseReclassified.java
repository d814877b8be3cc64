package redress.events.payload;

import java.util.UUID;

/**
 * {@code redress.case.reclassified}: a person changed the case's regulatory profile, product,
 * category or product group, with a reason. The {@code previous*} fields are what it was;
 * followup-service recomputes the case's regulatory deadlines from its original receipt under the
 * new profile. {@code productGroup} is a code of the complaint taxonomy (null when the case has none).
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
        String reason,
        String previousProductGroup,
        String productGroup)
        implements CasePayload {

    /** A reclassification that leaves the product group as it is (or that predates it). */
    public CaseReclassified(
            UUID caseId,
            String reference,
            String previousProfile,
            String profile,
            String previousProduct,
            String product,
            String previousCategory,
            String category,
            String reason) {
        this(
                caseId,
                reference,
                previousProfile,
                profile,
                previousProduct,
                product,
                previousCategory,
                category,
                reason,
                null,
                null);
    }
}
