package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code redress.followup.due}. */
public record FollowupDue(UUID followupId, UUID caseId, String reference, String kind, Instant dueAt)
        implements CasePayload {}
