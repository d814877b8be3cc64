package redress.intake.letter;

import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /complaints/{id}/letters} (optional as a whole).
 *
 * @param language                 the template's language; {@code en} when absent
 * @param body                     the agent's own text, paragraphs separated by blank lines
 * @param consentToWaiveTimeLimits whether the firm consents to the Ombudsman considering the
 *                                 complaint out of time (the template words it); false when absent
 */
public record DraftLetter(
        @Size(max = 35) String language, @Size(max = 20_000) String body, Boolean consentToWaiveTimeLimits) {}
