package redress.events;

import java.util.UUID;

import redress.events.payload.CasePayload;
import redress.events.payload.CoachingLexiconChanged;
import redress.events.payload.TaxonomyChanged;

/** What a consumer checks of an event's {@code subject} (its Kafka key) before it acts on the event. */
public final class Subjects {

    private Subjects() {}

    /**
     * Whether the event belongs to no case at all (a new version of the complaint taxonomy or of
     * the coaching lexicon): a consumer that keeps cases skips it rather than refusing it.
     */
    public static boolean belongsToNoCase(CasePayload payload) {
        return payload instanceof TaxonomyChanged || payload instanceof CoachingLexiconChanged;
    }

    /**
     * The case the event is about: its payload's {@code caseId}, which must be its subject too (the
     * subject is the Kafka key, so a record whose subject names another case was ordered with that
     * case's records, not this one's).
     *
     * @throws IllegalArgumentException if the payload names no case or another case than the subject
     */
    public static UUID requireCaseSubject(CaseEvent event, CasePayload payload) {
        UUID caseId = payload.caseId();
        if (caseId == null || !caseId.toString().equals(event.subject())) {
            throw new IllegalArgumentException(
                    "event " + event.id() + " names case " + caseId + " but its subject is " + event.subject());
        }
        return caseId;
    }
}
