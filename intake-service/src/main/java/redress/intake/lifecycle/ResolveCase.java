package redress.intake.lifecycle;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import redress.events.Outcome;

/**
 * Body of {@code POST /complaints/{id}/resolution}: what was done for the customer, and what the
 * regulators' returns count of it: the outcome, the root cause and (unless the case has one) the
 * product group, codes of the complaint taxonomy ({@code GET /taxonomy}). The three are required on
 * a case with a regulatory profile other than {@code DEFAULT}, optional (but checked) on others.
 */
public record ResolveCase(
        @NotBlank @Size(max = 5000) String summary,
        Outcome outcome,
        @Size(max = 50) String rootCause,
        @Size(max = 50) String productGroup) {

    /** A resolution without what the returns count (a case without a regulatory profile). */
    public ResolveCase(String summary) {
        this(summary, null, null, null);
    }
}
