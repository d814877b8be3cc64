package redress.intake.lifecycle;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /complaints/{id}/resolution}: what was done for the customer. */
public record ResolveCase(@NotBlank @Size(max = 5000) String summary) {}
