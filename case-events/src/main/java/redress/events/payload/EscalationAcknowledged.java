package redress.events.payload;

import java.util.UUID;

import redress.events.EscalationLevel;

/** {@code redress.escalation.acknowledged}: someone at the level took the escalation. */
public record EscalationAcknowledged(
        UUID escalationId, UUID caseId, String reference, EscalationLevel level, String acknowledgedBy)
        implements CasePayload {}
