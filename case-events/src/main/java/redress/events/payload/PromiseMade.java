package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code redress.promise.made}: an expectation was set with the customer. */
public record PromiseMade(UUID caseId, String reference, UUID promiseId, UUID interactionId, String text, Instant dueAt)
        implements CasePayload {}
