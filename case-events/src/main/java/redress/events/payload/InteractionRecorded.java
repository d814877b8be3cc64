package redress.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;

/**
 * {@code redress.interaction.recorded}: one interaction on a case. Direction, channel and tone are
 * set for customer contacts; promiseId and dueAt for {@code EXPECTATION_SET}. The written responses
 * ({@link redress.events.ResponseRequirements#RESPONSE_KINDS}) have direction {@code OUTBOUND};
 * {@code expectedBy} (when the final response is expected) is set for {@code HOLDING_RESPONSE} and
 * {@code DELAY_NOTICE}, {@code responseStatus} ({@code IN_PROGRESS} or {@code CLOSED}) for
 * {@code SUBSTANTIVE_RESPONSE}, and {@code elements} (the codes of the regulatory statements the
 * response contains, {@link redress.events.ResponseRequirements#ELEMENTS}) for every response kind.
 * {@code documentSha256} (lower-case hex) is the SHA-256 of the document sent, when the response
 * was a letter rendered by intake-service (a final response letter's PDF); null otherwise and on
 * events written before it existed. {@code coaching} is what the language coaching lexicon found in
 * an outbound text ({@link Coaching}); null for texts it does not check and on events written before
 * it existed.
 */
public record InteractionRecorded(
        UUID caseId,
        String reference,
        UUID interactionId,
        InteractionKind kind,
        String text,
        Direction direction,
        Channel channel,
        CustomerTone tone,
        UUID promiseId,
        Instant dueAt,
        Instant occurredAt,
        Instant expectedBy,
        String responseStatus,
        List<String> elements,
        String documentSha256,
        Coaching coaching)
        implements CasePayload {

    /**
     * The language coaching of an outbound text: what version {@code lexiconVersion} of the coaching
     * lexicon found in it (possibly nothing), and the de-escalation suggestions offered because the
     * customer's last tone was one the lexicon names (empty otherwise). It only ever warns and
     * suggests: the interaction was recorded either way.
     */
    public record Coaching(
            int lexiconVersion, String language, List<Finding> findings, List<String> deEscalationSuggestions) {

        public Coaching {
            findings = findings == null ? List.of() : List.copyOf(findings);
            deEscalationSuggestions =
                    deEscalationSuggestions == null ? List.of() : List.copyOf(deEscalationSuggestions);
        }
    }

    /**
     * One finding: the lexicon entry that matched, its category ({@code BLAME}, {@code NEGATIVE},
     * …), the phrase as written in the text, the suggested alternative, and where the phrase is in
     * the text ({@code start} inclusive, {@code end} exclusive, in UTF-16 code units of the stored
     * text).
     */
    public record Finding(String entryId, String category, String phrase, String suggestion, int start, int end) {}

    /** An interaction, with the document it sent if any, before (or without) language coaching. */
    public InteractionRecorded(
            UUID caseId,
            String reference,
            UUID interactionId,
            InteractionKind kind,
            String text,
            Direction direction,
            Channel channel,
            CustomerTone tone,
            UUID promiseId,
            Instant dueAt,
            Instant occurredAt,
            Instant expectedBy,
            String responseStatus,
            List<String> elements,
            String documentSha256) {
        this(
                caseId,
                reference,
                interactionId,
                kind,
                text,
                direction,
                channel,
                tone,
                promiseId,
                dueAt,
                occurredAt,
                expectedBy,
                responseStatus,
                elements,
                documentSha256,
                null);
    }

    /** An interaction that sent no rendered document. */
    public InteractionRecorded(
            UUID caseId,
            String reference,
            UUID interactionId,
            InteractionKind kind,
            String text,
            Direction direction,
            Channel channel,
            CustomerTone tone,
            UUID promiseId,
            Instant dueAt,
            Instant occurredAt,
            Instant expectedBy,
            String responseStatus,
            List<String> elements) {
        this(
                caseId,
                reference,
                interactionId,
                kind,
                text,
                direction,
                channel,
                tone,
                promiseId,
                dueAt,
                occurredAt,
                expectedBy,
                responseStatus,
                elements,
                null);
    }
}
