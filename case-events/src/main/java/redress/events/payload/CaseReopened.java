package redress.events.payload;

import java.util.UUID;

import redress.events.CaseStatus;

/**
 * {@code redress.case.reopened}: by an agent, or because a satisfaction follow-up found the
 * customer dissatisfied (then {@code followupId} names it).
 */
public record CaseReopened(UUID caseId, String reference, CaseStatus from, String reason, UUID followupId)
        implements CasePayload {}
