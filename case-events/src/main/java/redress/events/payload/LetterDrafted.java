package redress.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code redress.letter.drafted}: an agent drafted a final response letter from the letter
 * template of the case's profile and a language. The letter's text is not in the event (it names
 * the customer); {@code documentSha256} identifies the PDF as rendered, and the sending's
 * {@code interaction.recorded} carries the same hash.
 *
 * @param letterId        the letter's id
 * @param profile         the regulatory profile whose template was used
 * @param language        the template's language (BCP 47, such as {@code en})
 * @param templateVersion the version of that template
 * @param elements        the codes of the regulatory statements the template's wording contains
 * @param documentSha256  SHA-256 (lower-case hex) of the rendered PDF
 */
public record LetterDrafted(
        UUID caseId,
        String reference,
        UUID letterId,
        String profile,
        String language,
        int templateVersion,
        List<String> elements,
        String documentSha256,
        Instant draftedAt)
        implements CasePayload {}
