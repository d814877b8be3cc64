package redress.intake.letter;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /letter-templates/{profile}/{language}}: the next version of that template.
 *
 * @param body     a Qute template of XHTML (LetterData.model names what it may use)
 * @param elements the codes of the regulatory statements its wording contains; must include every
 *                 statement the profile requires of a final response
 * @param timeZone the zone the letter's dates are given in (an IANA zone id); UTC when absent
 * @param reason   why this version
 */
public record PublishLetterTemplate(
        @NotBlank @Size(max = 100_000) String body,
        @NotNull @Size(max = 50) List<@NotBlank @Size(max = 50) String> elements,
        @Size(max = 64) String timeZone,
        @NotBlank @Size(max = 500) String reason) {}
