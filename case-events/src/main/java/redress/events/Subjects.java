package redress.events;

import java.util.UUID;

import redress.events.payload.CasePayload;

/** What a consumer checks of an event's {@code subject} (its Kafka key) before it acts on the event. */
public final class Subjects {

    private Subjects() {}

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
