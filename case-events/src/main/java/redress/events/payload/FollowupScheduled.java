package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.followup.scheduled}.
 *
 * @param kind what is to happen: {@code SATISFACTION}, {@code CALLBACK}, {@code PROMISE_CHECK}, ...
 */
public record FollowupScheduled(
        UUID followupId, UUID caseId, String reference, String kind, Instant dueAt, UUID promiseId)
        implements CasePayload {}
