package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;

/**
 * {@code redress.interaction.recorded}: one interaction on a case. Direction, channel and tone are
 * set for customer contacts; promiseId and dueAt for {@code EXPECTATION_SET}.
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
        Instant occurredAt) implements CasePayload {
}
