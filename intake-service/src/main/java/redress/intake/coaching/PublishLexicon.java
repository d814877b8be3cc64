package redress.intake.coaching;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /coaching/lexicon} (and of its dry-run): the whole next version of the
 * language coaching lexicon. What Bean Validation cannot say (which fields each kind takes, unique
 * ids, exceptions that contain a phrase of their entry) {@link Lexicons} checks.
 */
public record PublishLexicon(
        @NotNull
        @Pattern(regexp = "[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", message = "must be a language tag such as en or en-GB")
        String language,

        @NotEmpty @Size(max = 500) List<@NotNull @Valid Entry> entries,
        @Size(max = 100) List<@NotBlank @Size(max = 50) String> negations,
        @NotNull @Valid DeEscalation deEscalation,
        @NotBlank @Size(max = 2_000) String reason) {

    /** One entry: see {@link redress.events.payload.CoachingLexiconChanged.Entry}. */
    public record Entry(
            @NotNull
            @Pattern(
                    regexp = "[a-z0-9][a-z0-9-]{0,63}",
                    message = "must be 1 to 64 of a-z, 0-9 and -, starting with a letter or digit")
            String id,

            @NotNull Kind kind,

            @NotNull
            @Pattern(
                    regexp = "[A-Z][A-Z0-9_]{0,49}",
                    message = "must be 1 to 50 of A-Z, 0-9 and _, starting with a letter")
            String category,

            @Size(max = 200) List<@NotBlank @Size(max = 100) String> tokens,
            @Size(max = 200) Map<@NotBlank @Size(max = 100) String, @NotBlank @Size(max = 500) String> swap,
            @Size(max = 500) String suggestion,
            @Size(max = 100) List<@NotBlank @Size(max = 100) String> exceptions,
            @Min(1) @Max(10) Integer negationWindow,
            @Min(1) @Max(100) Integer max) {}

    /** Vale's shapes of a rule (docs/coaching.md). */
    public enum Kind {
        EXISTENCE,
        SUBSTITUTION,
        OCCURRENCE
    }

    /** Suggestions for the agent's next outbound text after a contact in one of {@code tones}. */
    public record DeEscalation(
            @NotNull @Size(max = 10) List<@NotBlank @Size(max = 20) String> tones,
            @NotNull @Size(max = 20) List<@NotBlank @Size(max = 500) String> suggestions) {}
}
