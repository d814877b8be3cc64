package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.CaseStatus;
import redress.events.Severity;

/** {@code redress.case.resolved}: a resolution was given to the customer. */
public record CaseResolved(
        UUID caseId, String reference, CaseStatus from, String summary, Severity severity, Instant resolvedAt)
        implements CasePayload {}
