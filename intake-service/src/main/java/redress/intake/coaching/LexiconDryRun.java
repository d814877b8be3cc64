package redress.intake.coaching;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.ResponseRequirements;
import redress.events.payload.InteractionRecorded.Coaching;
import redress.events.payload.InteractionRecorded.Finding;
import redress.intake.interaction.Interaction;

/**
 * Runs a candidate lexicon and the one in force over the outbound texts already recorded (newest
 * first, within a window) and reports what the candidate would find that the current one does not,
 * and the other way round. Writes nothing.
 */
@ApplicationScoped
public class LexiconDryRun {

    /** A recorded outbound text and the customer's last tone before it. */
    private record Text(UUID interactionId, UUID caseId, Instant occurredAt, String text, String lastTone) {}

    /** How many findings a lexicon makes over the texts, in how many texts, and how many de-escalations. */
    public record Side(int version, int findings, int textsWithFindings, int deEscalations) {}

    /** One entry's findings under each lexicon (0 where it is not in that lexicon). */
    public record EntryCount(String entryId, String category, int current, int candidate) {}

    /** A finding the candidate adds, or one it no longer makes, in a recorded text. */
    public record Example(
            UUID interactionId,
            UUID caseId,
            Instant occurredAt,
            String entryId,
            String category,
            String phrase,
            String suggestion,
            int start,
            int end) {}

    /** The answer of {@code POST /coaching/lexicon/dry-run}. */
    public record Report(
            Instant from,
            Instant to,
            int limit,
            int texts,
            boolean truncated,
            Side current,
            Side candidate,
            List<EntryCount> entries,
            int added,
            int removed,
            List<Example> addedExamples,
            List<Example> removedExamples) {}

    private record Key(UUID interactionId, String entryId, int start, int end) {}

    private final Lexicons lexicons;

    public LexiconDryRun(Lexicons lexicons) {
        this.lexicons = lexicons;
    }

    @Transactional
    public Report run(PublishLexicon body, Instant from, Instant to, int limit, int examples) {
        Lexicons.Compiled candidate = Lexicons.candidate(body);
        Lexicons.Compiled current = lexicons.current();
        List<Text> texts = texts(from, to, limit + 1);
        boolean truncated = texts.size() > limit;
        if (truncated) {
            texts = texts.subList(0, limit);
        }
        Map<String, int[]> perEntry = new LinkedHashMap<>();
        Map<String, String> categories = new HashMap<>();
        current.lexicon().entries().forEach(e -> {
            perEntry.put(e.id(), new int[2]);
            categories.put(e.id(), e.category());
        });
        candidate.lexicon().entries().forEach(e -> {
            perEntry.putIfAbsent(e.id(), new int[2]);
            categories.put(e.id(), e.category());
        });
        int[] cur = new int[3];
        int[] cand = new int[3];
        int added = 0;
        int removed = 0;
        List<Example> addedExamples = new ArrayList<>();
        List<Example> removedExamples = new ArrayList<>();
        for (Text t : texts) {
            Coaching a = LanguageCoach.coaching(current, t.text(), t.lastTone());
            Coaching b = LanguageCoach.coaching(candidate, t.text(), t.lastTone());
            tally(a, cur, perEntry, 0);
            tally(b, cand, perEntry, 1);
            Set<Key> before = keys(t, a);
            Set<Key> after = keys(t, b);
            for (Finding f : b.findings()) {
                if (!before.contains(key(t, f))) {
                    added++;
                    if (addedExamples.size() < examples) {
                        addedExamples.add(example(t, f));
                    }
                }
            }
            for (Finding f : a.findings()) {
                if (!after.contains(key(t, f))) {
                    removed++;
                    if (removedExamples.size() < examples) {
                        removedExamples.add(example(t, f));
                    }
                }
            }
        }
        List<EntryCount> entries = perEntry.entrySet().stream()
                .map(e -> new EntryCount(e.getKey(), categories.get(e.getKey()), e.getValue()[0], e.getValue()[1]))
                .toList();
        return new Report(
                from,
                to,
                limit,
                texts.size(),
                truncated,
                new Side(current.lexicon().version(), cur[0], cur[1], cur[2]),
                new Side(0, cand[0], cand[1], cand[2]),
                entries,
                added,
                removed,
                addedExamples,
                removedExamples);
    }

    private static void tally(Coaching c, int[] side, Map<String, int[]> perEntry, int column) {
        side[0] += c.findings().size();
        side[1] += c.findings().isEmpty() ? 0 : 1;
        side[2] += c.deEscalationSuggestions().isEmpty() ? 0 : 1;
        for (Finding f : c.findings()) {
            perEntry.get(f.entryId())[column]++;
        }
    }

    private static Set<Key> keys(Text t, Coaching c) {
        Set<Key> keys = new HashSet<>();
        c.findings().forEach(f -> keys.add(key(t, f)));
        return keys;
    }

    private static Key key(Text t, Finding f) {
        return new Key(t.interactionId(), f.entryId(), f.start(), f.end());
    }

    private static Example example(Text t, Finding f) {
        return new Example(
                t.interactionId(),
                t.caseId(),
                t.occurredAt(),
                f.entryId(),
                f.category(),
                f.phrase(),
                f.suggestion(),
                f.start(),
                f.end());
    }

    /** The outbound texts recorded in [from, to), newest first, each with the customer's last tone. */
    @SuppressWarnings("unchecked")
    private static List<Text> texts(Instant from, Instant to, int max) {
        // Enum names, not input: written into the statement as literals.
        String kinds = Stream.concat(
                        ResponseRequirements.RESPONSE_KINDS.stream(), LanguageCoach.SAID_TO_THE_CUSTOMER.stream())
                .map(k -> "'" + k.name() + "'")
                .collect(Collectors.joining(", "));
        List<Object[]> rows = Interaction.getEntityManager()
                .createNativeQuery("""
                        SELECT i.id, i.complaint_id, i.occurred_at, i.text,
                               (SELECT c.tone FROM interaction c
                                 WHERE c.complaint_id = i.complaint_id AND c.kind = 'CUSTOMER_CONTACT'
                                   AND c.tone IS NOT NULL AND c.occurred_at < i.occurred_at
                                 ORDER BY c.occurred_at DESC, c.id DESC LIMIT 1)
                          FROM interaction i
                         WHERE (i.direction = 'OUTBOUND' OR i.kind IN (%s))
                           AND i.occurred_at >= ?1 AND i.occurred_at < ?2
                         ORDER BY i.occurred_at DESC, i.id DESC
                         LIMIT ?3""".formatted(kinds))
                .setParameter(1, Timestamp.from(from))
                .setParameter(2, Timestamp.from(to))
                .setParameter(3, max)
                .getResultList();
        return rows.stream()
                .map(r -> new Text(
                        (UUID) r[0], (UUID) r[1], instant(r[2]), (String) r[3], r[4] == null ? null : r[4].toString()))
                .toList();
    }

    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("not a time: " + o);
    }
}
