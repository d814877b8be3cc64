package redress.escalation.queue;

import java.time.Instant;
import java.util.UUID;

import redress.escalation.escalate.Escalation;

/**
 * An escalation as the queue shows it, briefing included. {@code action}: WATCH (the case's owner
 * keeps it, this level watches and may take it over) or HAND_OVER (the case waits in this level's queue).
 */
public record EscalationView(
        UUID id,
        UUID caseId,
        String reference,
        String level,
        String action,
        String previousLevel,
        String status,
        String ruleId,
        int ruleVersion,
        String reason,
        String briefing,
        Instant raisedAt,
        String acknowledgedBy,
        Instant acknowledgedAt,
        String resolvedBy,
        Instant resolvedAt,
        String outcome) {

    static EscalationView of(Escalation e) {
        return new EscalationView(
                e.id,
                e.caseId,
                e.reference,
                e.level,
                e.action,
                e.previousLevel,
                e.status,
                e.ruleId,
                e.ruleVersion,
                e.reason,
                e.briefing,
                e.raisedAt,
                e.acknowledgedBy,
                e.acknowledgedAt,
                e.resolvedBy,
                e.resolvedAt,
                e.outcome);
    }
}
