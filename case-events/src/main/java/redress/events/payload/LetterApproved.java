package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.letter.approved}: a supervisor other than the letter's author approved a final
 * response letter (four eyes); the event's actor is the approver.
 *
 * @param letterId       the letter's id
 * @param draftedBy      who drafted it
 * @param documentSha256 SHA-256 (lower-case hex) of the PDF approved, the one that will be sent
 */
public record LetterApproved(
        UUID caseId, String reference, UUID letterId, String draftedBy, String documentSha256, Instant approvedAt)
        implements CasePayload {}
