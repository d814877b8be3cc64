package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.customer.erased}: the customer's data key {@code keyId} was destroyed, so the
 * name and contact sealed with it (this case's {@code complaint.received}, its row in
 * intake-service) can no longer be read by anyone. One event per case sealed with that key.
 *
 * @param keyId     the destroyed key, {@code <customerId>:<keyVersion>}
 * @param trigger   {@code REQUEST} ({@code POST /customers/{id}/erasure}) or {@code RETENTION}
 * @param reason    why, as the supervisor gave it, or the retention rule that applied
 */
public record CustomerErased(
        UUID caseId, String reference, String customerId, String keyId, String trigger, String reason, Instant erasedAt)
        implements CasePayload {}
