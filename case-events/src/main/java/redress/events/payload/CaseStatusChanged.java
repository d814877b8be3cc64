package redress.events.payload;

import java.util.UUID;

import redress.events.CaseStatus;

/** {@code redress.case.status-changed}: a transition without a more specific event. */
public record CaseStatusChanged(UUID caseId, String reference, CaseStatus from, CaseStatus to, String reason)
        implements CasePayload {}
