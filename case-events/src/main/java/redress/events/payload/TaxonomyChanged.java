package redress.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code redress.taxonomy.changed}: a rules-admin published a new version of the complaint
 * taxonomy: the product groups and root causes a resolution (and a reclassification) may name, each
 * with its mapping to the regulators' codes. The whole taxonomy travels in the event, so the audit
 * log holds every version a return was computed with.
 *
 * <p>Not a case event: {@code caseId} is null and the subject is {@link #SUBJECT}; consumers that
 * keep cases skip it.
 *
 * @param version         the new version (1, 2, 3, …)
 * @param previousVersion the version it replaces, or null for the first
 * @param productGroups   every product group of this version
 * @param rootCauses      every root cause of this version
 * @param reason          why it changed, as the rules-admin gave it
 */
public record TaxonomyChanged(
        UUID caseId,
        String reference,
        int version,
        Integer previousVersion,
        List<ProductGroup> productGroups,
        List<RootCause> rootCauses,
        String reason,
        Instant changedAt)
        implements CasePayload {

    /** The subject (and Kafka key) of every taxonomy event. */
    public static final String SUBJECT = "complaint-taxonomy";

    /**
     * A product group: the firm's code, what the FCA complaints return (DISP 1 Annex 1R) and ASIC's
     * IDR data report call it.
     *
     * @param fcaProductGroup the row of the FCA return it counts in
     * @param asicProduct     ASIC IDR data dictionary's product category code
     */
    public record ProductGroup(String code, String label, String fcaProductGroup, String asicProduct) {}

    /**
     * A root cause of complaints.
     *
     * @param asicIssue ASIC IDR data dictionary's issue code
     */
    public record RootCause(String code, String label, String asicIssue) {}

    public TaxonomyChanged {
        productGroups = productGroups == null ? List.of() : List.copyOf(productGroups);
        rootCauses = rootCauses == null ? List.of() : List.copyOf(rootCauses);
    }

    @Override
    public String subject() {
        return SUBJECT;
    }
}
