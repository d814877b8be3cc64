package redress.intake.classification;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /complaints/{id}/classification}. Each of profile, product, category and
 * product group (a code of the complaint taxonomy) is left as it is when absent (or null); an empty
 * {@code product} clears it. At least one must change,
 * and the reason is required: the change and why are the case's history (event
 * {@code case.reclassified}).
 */
public record Reclassify(
        @Size(max = 50) String regulatoryProfile,
        @Size(max = 100) String product,
        @Size(max = 100) String category,
        @NotBlank @Size(max = 2_000) String reason,
        @Size(max = 50) String productGroup) {

    /** A reclassification that leaves the product group as it is. */
    public Reclassify(String regulatoryProfile, String product, String category, String reason) {
        this(regulatoryProfile, product, category, reason, null);
    }
}
