package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.CaseStatus;
import redress.events.Outcome;
import redress.events.Severity;

/**
 * {@code redress.case.resolved}: a resolution was given to the customer. {@code outcome},
 * {@code rootCause} and {@code productGroup} (codes of the complaint taxonomy's version
 * {@code taxonomyVersion}) are what the regulators' returns count; they are required on a case
 * with a regulatory profile and may be null on others, and on events written before they existed.
 */
public record CaseResolved(
        UUID caseId,
        String reference,
        CaseStatus from,
        String summary,
        Severity severity,
        Instant resolvedAt,
        Outcome outcome,
        String rootCause,
        String productGroup,
        Integer taxonomyVersion)
        implements CasePayload {

    /** A resolution that records no outcome (a case without a regulatory profile). */
    public CaseResolved(
            UUID caseId, String reference, CaseStatus from, String summary, Severity severity, Instant resolvedAt) {
        this(caseId, reference, from, summary, severity, resolvedAt, null, null, null, null);
    }
}
