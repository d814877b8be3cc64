package redress.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code redress.coaching.lexicon-changed}: a new version of the language coaching lexicon, the
 * whole of it, that intake-service checks every outbound interaction text against (docs/coaching.md).
 * One per version, the seeded version 1 included.
 *
 * <p>Not a case event: {@code caseId} is null and the subject is {@link #SUBJECT}; consumers that
 * keep cases skip it ({@link redress.events.Subjects#belongsToNoCase}).
 *
 * @param version         the new version (1, 2, 3, …)
 * @param previousVersion the version it replaces, or null for the first
 * @param language        the language of its phrases (BCP 47, {@code en})
 * @param entries         what it looks for, each with its suggestion
 * @param negations       the words that, shortly before a phrase, turn it round ("not your fault")
 * @param deEscalation    what it suggests after the customer's tone was one of its tones
 * @param reason          why it changed, as the rules-admin gave it
 */
public record CoachingLexiconChanged(
        UUID caseId,
        String reference,
        int version,
        Integer previousVersion,
        String language,
        List<Entry> entries,
        List<String> negations,
        DeEscalation deEscalation,
        String reason,
        Instant changedAt)
        implements CasePayload {

    /** The subject (and Kafka key) of every lexicon event. */
    public static final String SUBJECT = "coaching-lexicon";

    /**
     * One entry, in the shapes of Vale's rules: {@code EXISTENCE} (any of {@code tokens} is a
     * finding, unless an {@code exceptions} phrase overlaps it or a negation is among the
     * {@code negationWindow} words before it), {@code SUBSTITUTION} ({@code swap}: each phrase with
     * its replacement) and {@code OCCURRENCE} (more than {@code max} of {@code tokens} in one text).
     */
    public record Entry(
            String id,
            String kind,
            String category,
            List<String> tokens,
            Map<String, String> swap,
            String suggestion,
            List<String> exceptions,
            Integer negationWindow,
            Integer max) {}

    /** Suggestions for the agent's next outbound text after a contact in one of {@code tones}. */
    public record DeEscalation(List<String> tones, List<String> suggestions) {}

    public CoachingLexiconChanged {
        entries = entries == null ? List.of() : List.copyOf(entries);
        negations = negations == null ? List.of() : List.copyOf(negations);
    }

    @Override
    public String subject() {
        return SUBJECT;
    }
}
