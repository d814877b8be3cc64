package redress.intake.abuse;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /abuse-reports/{id}/debrief}: whether the agent took the break they were
 * offered, for how many minutes (optional, only when taken), and an optional note.
 */
public record DebriefAgent(
        @NotNull(message = "is required: say whether the break was taken (true) or declined (false)")
        Boolean breakTaken,

        @Min(1) @Max(480) Integer breakMinutes,
        @Size(max = 2000) String note) {}
