package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.EscalationLevel;
import redress.events.Severity;

/**
 * {@code redress.escalation.raised}: a rule (or a person) handed a case up to {@code level}, with a
 * briefing for whoever picks it up.
 */
public record EscalationRaised(
        UUID escalationId,
        UUID caseId,
        String reference,
        EscalationLevel level,
        EscalationLevel previousLevel,
        Severity severity,
        String reason,
        String ruleId,
        Integer ruleVersion,
        String briefing,
        Instant responseDueAt)
        implements CasePayload {}
