package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.case.reviewed} (issue 31): a post-case review of a RESOLVED or CLOSED case, what
 * went well and what could have been handled better (at least one of them set), and optionally a
 * root cause of the complaint taxonomy of {@code taxonomyVersion} (both null when none was given).
 * A case may be reviewed more than once, each review its own event.
 */
public record CaseReviewed(
        UUID caseId,
        String reference,
        UUID reviewId,
        String wentWell,
        String couldBeBetter,
        String rootCause,
        Integer taxonomyVersion,
        Instant reviewedAt)
        implements CasePayload {}
