package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code redress.case.acknowledged}: the first acknowledgement was sent to the customer. */
public record CaseAcknowledged(UUID caseId, String reference, UUID interactionId, Instant acknowledgedAt)
        implements CasePayload {}
