package redress.intake.redress;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /complaints/{id}/redress/{lineId}/reversal}: why the line is reversed. */
public record ReverseRedress(@NotBlank @Size(max = 2_000) String note) {}
