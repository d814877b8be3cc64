package redress.intake.interaction;

import java.time.Instant;
import java.util.List;

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
 * {@code EXPECTATION_SET}. The written responses carry {@code elements} (the regulatory statements
 * they contain); {@code expectedBy}, in the future, is required on a {@code HOLDING_RESPONSE} and a
 * {@code DELAY_NOTICE}, {@code responseStatus} on a {@code SUBSTANTIVE_RESPONSE}. A field on a kind it
 * does not belong to is refused. {@code occurredAt}, on any kind, is when it took place (a letter
 * posted yesterday, a call made before it was typed in): regulatory clocks stop at it; absent, it
 * is the time of the call.
 */
public record RecordInteraction(
        @NotNull InteractionKind kind,
        @NotBlank @Size(max = 10_000) String text,
        Direction direction,
        Channel channel,
        CustomerTone tone,
        Instant dueAt,
        Instant expectedBy,
        @Size(max = 20) String responseStatus,
        @Size(max = 50) List<@Size(max = 50) String> elements,
        Instant occurredAt) {}
