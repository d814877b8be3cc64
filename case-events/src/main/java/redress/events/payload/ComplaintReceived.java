package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.Severity;

/** {@code redress.complaint.received}: a complaint was accepted and became a case. */
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
        int earlierComplaints) implements CasePayload {
}
