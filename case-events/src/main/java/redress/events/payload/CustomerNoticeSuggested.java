package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.EscalationLevel;

/**
 * {@code redress.customer-notice.suggested}: an escalation handed the case over, and the customer should
 * be told it is being taken seriously; {@code text} is the suggested notice (no personal data: the
 * reference, the level in words, the response time if any). It is a suggestion: an agent sends it (or
 * their own words) as an outbound interaction.
 *
 * @param responseDueAt when the escalation's level is to respond, when the escalation gave one
 */
public record CustomerNoticeSuggested(
        UUID noticeId,
        UUID caseId,
        String reference,
        UUID escalationId,
        EscalationLevel level,
        String text,
        Instant responseDueAt)
        implements CasePayload {}
