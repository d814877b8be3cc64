package redress.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;

/**
 * {@code redress.interaction.recorded}: one interaction on a case. Direction, channel and tone are
 * set for customer contacts; promiseId and dueAt for {@code EXPECTATION_SET}. The written responses
 * ({@link redress.events.ResponseRequirements#RESPONSE_KINDS}) have direction {@code OUTBOUND};
 * {@code expectedBy} (when the final response is expected) is set for {@code HOLDING_RESPONSE} and
 * {@code DELAY_NOTICE}, {@code responseStatus} ({@code IN_PROGRESS} or {@code CLOSED}) for
 * {@code SUBSTANTIVE_RESPONSE}, and {@code elements} (the codes of the regulatory statements the
 * response contains, {@link redress.events.ResponseRequirements#ELEMENTS}) for every response kind.
 * {@code documentSha256} (lower-case hex) is the SHA-256 of the document sent, when the response
 * was a letter rendered by intake-service (a final response letter's PDF); null otherwise and on
 * events written before it existed.
 */
public record InteractionRecorded(
        UUID caseId,
        String reference,
        UUID interactionId,
        InteractionKind kind,
        String text,
        Direction direction,
        Channel channel,
        CustomerTone tone,
        UUID promiseId,
        Instant dueAt,
        Instant occurredAt,
        Instant expectedBy,
        String responseStatus,
        List<String> elements,
        String documentSha256)
        implements CasePayload {

    /** An interaction that sent no rendered document. */
    public InteractionRecorded(
            UUID caseId,
            String reference,
            UUID interactionId,
            InteractionKind kind,
            String text,
            Direction direction,
            Channel channel,
            CustomerTone tone,
            UUID promiseId,
            Instant dueAt,
            Instant occurredAt,
            Instant expectedBy,
            String responseStatus,
            List<String> elements) {
        this(
                caseId,
                reference,
                interactionId,
                kind,
                text,
                direction,
                channel,
                tone,
                promiseId,
                dueAt,
                occurredAt,
                expectedBy,
                responseStatus,
                elements,
                null);
    }
}
