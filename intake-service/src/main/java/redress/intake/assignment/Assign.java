package redress.intake.assignment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import redress.events.EscalationLevel;

/**
 * Body of {@code POST /complaints/{id}/assignment}. The briefing is required: whoever takes the
 * case must not have to ask the customer to start again.
 */
public record Assign(
        @NotBlank @Size(max = 100) String assignee,
        @NotNull EscalationLevel level,
        @NotBlank @Size(max = 10_000) String briefing) {}
