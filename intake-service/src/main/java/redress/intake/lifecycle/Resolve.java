package redress.intake.lifecycle;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /complaints/{id}/resolution}: what was done for the customer. */
public record Resolve(@NotBlank @Size(max = 5000) String summary) {
}
