package redress.intake.interaction;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;

/**
 * Body of {@code POST /complaints/{id}/interactions}. Direction, channel and tone belong to a
 * {@code CUSTOMER_CONTACT} (all three required there); {@code dueAt}, in the future, to an
 * {@code EXPECTATION_SET}; other kinds carry neither.
 */
public record RecordInteraction(
        @NotNull InteractionKind kind,
        @NotBlank @Size(max = 10_000) String text,
        Direction direction,
        Channel channel,
        CustomerTone tone,
        Instant dueAt) {
}
