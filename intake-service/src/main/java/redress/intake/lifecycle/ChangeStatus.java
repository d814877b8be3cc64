package redress.intake.lifecycle;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import redress.events.CaseStatus;

/** Body of {@code POST /complaints/{id}/status}; a reason is required to reopen. */
public record ChangeStatus(
        @NotNull CaseStatus status, @Size(max = 2000) String reason) {}
