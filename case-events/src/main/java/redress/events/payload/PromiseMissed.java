package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code redress.promise.missed}: a promise passed its due time without being kept. */
public record PromiseMissed(UUID caseId, String reference, UUID promiseId, Instant dueAt) implements CasePayload {}
