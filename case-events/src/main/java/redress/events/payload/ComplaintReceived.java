package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.Severity;

/**
 * {@code redress.complaint.received}: a complaint was accepted and became a case. {@code receivedAt}
 * is the firm's receipt (a letter's date stamp, a call's time: what regulators count from);
 * {@code registeredAt} is when intake-service was called. A reader of an event without
 * {@code registeredAt} (written before it existed) takes {@code receivedAt}.
 */
public record ComplaintReceived(
        UUID caseId,
        String reference,
        Customer customer,
        Channel channel,
        String category,
        String product,
        String summary,
        String description,
        Severity severity,
        EscalationLevel level,
        CaseStatus status,
        String regulatoryProfile,
        String externalReference,
        Instant receivedAt,
        int earlierComplaints,
        Instant registeredAt)
        implements CasePayload {}
