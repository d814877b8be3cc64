package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.deadline.warning}: a service-level or regulatory deadline is near.
 *
 * @param kind e.g. {@code ACKNOWLEDGEMENT}, {@code FINAL_RESPONSE}
 * @param profile the regulatory or service-level profile the deadline comes from
 */
public record DeadlineWarning(
        UUID deadlineId, UUID caseId, String reference, String kind, String profile, Instant dueAt)
        implements CasePayload {}
