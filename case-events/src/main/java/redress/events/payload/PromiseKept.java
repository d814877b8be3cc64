package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code redress.promise.kept}. */
public record PromiseKept(UUID caseId, String reference, UUID promiseId, Instant dueAt, Instant keptAt)
        implements CasePayload {}
