package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.abuse.acknowledged} (issue 31): a supervisor other than the agent who filed it
 * ({@code endedBy}) read and acknowledged the abuse report {@code reportId}. Once a report.
 */
public record AbuseReportAcknowledged(
        UUID caseId, String reference, UUID reportId, String endedBy, String acknowledgedBy, Instant acknowledgedAt)
        implements CasePayload {}
