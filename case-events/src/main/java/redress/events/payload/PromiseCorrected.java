package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.promise.corrected}: a promise announced missed was in fact kept by its due time;
 * the {@code promise.kept} arrived late. {@code withdrawnEventId} names the {@code promise.missed}
 * it withdraws.
 */
public record PromiseCorrected(
        UUID caseId,
        String reference,
        UUID promiseId,
        Instant dueAt,
        Instant keptAt,
        UUID withdrawnEventId,
        String reason)
        implements CasePayload {}
