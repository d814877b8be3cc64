package redress.events.payload;

import java.util.UUID;

import redress.events.EscalationLevel;
import redress.events.Severity;

/**
 * {@code redress.case.assigned}: ownership changed. {@code assignee} is null when the case waits,
 * unassigned, in the queue of {@code level} (after an escalation).
 *
 * @param escalationId the escalation that moved the case, or null for a manual assignment
 */
public record CaseAssigned(
        UUID caseId,
        String reference,
        String assignee,
        EscalationLevel level,
        Severity severity,
        String previousAssignee,
        EscalationLevel previousLevel,
        String briefing,
        UUID escalationId)
        implements CasePayload {}
