package redress.events.payload;

import java.util.UUID;

import redress.events.EscalationLevel;

/** {@code redress.escalation.resolved}. */
public record EscalationResolved(
        UUID escalationId, UUID caseId, String reference, EscalationLevel level, String outcome)
        implements CasePayload {}
