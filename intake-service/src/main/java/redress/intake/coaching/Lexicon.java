package redress.intake.coaching;

import java.time.Instant;
import java.util.List;

import redress.events.payload.CoachingLexiconChanged.DeEscalation;
import redress.events.payload.CoachingLexiconChanged.Entry;

/**
 * A version of the language coaching lexicon: what outbound texts are checked for, in which
 * language, and what is suggested after the customer's tone was one of {@code deEscalation}'s.
 */
public record Lexicon(
        int version,
        String language,
        List<Entry> entries,
        List<String> negations,
        DeEscalation deEscalation,
        String reason,
        String createdBy,
        Instant createdAt) {}
