package redress.intake.taxonomy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import redress.events.payload.TaxonomyChanged.ProductGroup;
import redress.events.payload.TaxonomyChanged.RootCause;

/**
 * A version of the complaint taxonomy: the product groups and root causes a case may be given,
 * each mapped to what the regulators' returns call it (docs/returns.md, "Taxonomy").
 */
public record Taxonomy(
        int version,
        List<ProductGroup> productGroups,
        List<RootCause> rootCauses,
        String reason,
        String createdBy,
        Instant createdAt) {

    /** The rows of the FCA complaints return (DISP 1 Annex 1R): its five product/service groupings. */
    public static final List<String> FCA_PRODUCT_GROUPS = List.of(
            "BANKING_AND_CREDIT_CARDS",
            "HOME_FINANCE",
            "INSURANCE_AND_PURE_PROTECTION",
            "DECUMULATION_AND_PENSIONS",
            "INVESTMENTS");

    public Optional<ProductGroup> productGroup(String code) {
        return productGroups.stream().filter(g -> g.code().equals(code)).findFirst();
    }

    public Optional<RootCause> rootCause(String code) {
        return rootCauses.stream().filter(r -> r.code().equals(code)).findFirst();
    }
}
