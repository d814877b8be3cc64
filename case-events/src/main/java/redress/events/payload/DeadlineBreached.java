package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code redress.deadline.breached}. */
public record DeadlineBreached(
        UUID deadlineId, UUID caseId, String reference, String kind, String profile, Instant dueAt)
        implements CasePayload {}
