package redress.intake.coaching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ahocorasick.trie.PayloadEmit;
import org.ahocorasick.trie.PayloadTrie;

import redress.events.payload.CoachingLexiconChanged.Entry;
import redress.events.payload.InteractionRecorded.Finding;

/**
 * A lexicon's entries compiled into one Aho-Corasick automaton (whole words, case-insensitive,
 * every overlapping hit), and what they find in a text. Thread-safe once built.
 *
 * <p>Texts are matched as written but for two things that do not move any character: a typographic
 * apostrophe counts as {@code '} and any whitespace as a space, so "can’t" is "can't" and a phrase
 * broken over a line is still found. Where two findings overlap, the longer one stands ("you need
 * to calm down" rather than also "calm down").
 */
public final class LexiconMatcher {

    private enum Role {
        PHRASE,
        EXCEPTION,
        NEGATION
    }

    /** What one keyword of the automaton is: a phrase or exception of an entry, or a negation. */
    private record Use(Role role, int entry, String replacement) {}

    private record Hit(int entry, int start, int end, String replacement) {}

    private final List<Entry> entries;
    private final PayloadTrie<List<Use>> trie;

    public LexiconMatcher(List<Entry> entries, List<String> negations) {
        this.entries = List.copyOf(entries);
        Map<String, List<Use>> uses = new LinkedHashMap<>();
        for (int n = 0; n < entries.size(); n++) {
            Entry e = entries.get(n);
            if (Kinds.SUBSTITUTION.equals(e.kind())) {
                for (Map.Entry<String, String> swap : e.swap().entrySet()) {
                    add(uses, swap.getKey(), new Use(Role.PHRASE, n, swap.getValue()));
                }
            } else {
                for (String token : e.tokens()) {
                    add(uses, token, new Use(Role.PHRASE, n, null));
                }
            }
            if (e.exceptions() != null) {
                for (String exception : e.exceptions()) {
                    add(uses, exception, new Use(Role.EXCEPTION, n, null));
                }
            }
        }
        for (String negation : negations) {
            add(uses, negation, new Use(Role.NEGATION, -1, null));
        }
        PayloadTrie.PayloadTrieBuilder<List<Use>> b =
                PayloadTrie.<List<Use>>builder().ignoreCase().onlyWholeWords();
        uses.forEach(b::addKeyword);
        this.trie = b.build();
    }

    private static void add(Map<String, List<Use>> uses, String phrase, Use use) {
        uses.computeIfAbsent(key(phrase), k -> new ArrayList<>()).add(use);
    }

    /** A phrase as the automaton holds it: lower case, apostrophes and whitespace as in {@link #normalise}. */
    static String key(String phrase) {
        return normalise(phrase.trim()).toLowerCase(Locale.ROOT);
    }

    /** The text with typographic apostrophes as {@code '} and whitespace as spaces; same length. */
    static String normalise(String text) {
        char[] cs = text.toCharArray();
        for (int k = 0; k < cs.length; k++) {
            char c = cs[k];
            if (c == '\u2019' || c == '\u2018' || c == '\u02bc') {
                cs[k] = '\'';
            } else if (Character.isWhitespace(c)) {
                cs[k] = ' ';
            }
        }
        return new String(cs);
    }

    /** What the lexicon finds in {@code text}, in the order of the text. */
    public List<Finding> check(String text) {
        String t = normalise(text);
        List<List<Hit>> phrases = new ArrayList<>();
        List<List<int[]>> exceptions = new ArrayList<>();
        for (int n = 0; n < entries.size(); n++) {
            phrases.add(new ArrayList<>());
            exceptions.add(new ArrayList<>());
        }
        List<int[]> negations = new ArrayList<>();
        for (PayloadEmit<List<Use>> emit : trie.parseText(t)) {
            int start = emit.getStart();
            int end = emit.getEnd() + 1;
            for (Use u : emit.getPayload()) {
                switch (u.role()) {
                    case PHRASE -> phrases.get(u.entry()).add(new Hit(u.entry(), start, end, u.replacement()));
                    case EXCEPTION -> exceptions.get(u.entry()).add(new int[] {start, end});
                    case NEGATION -> negations.add(new int[] {start, end});
                }
            }
        }
        List<Finding> found = new ArrayList<>();
        for (int n = 0; n < entries.size(); n++) {
            Entry e = entries.get(n);
            List<Hit> standing = new ArrayList<>();
            for (Hit h : phrases.get(n)) {
                if (!overlapsAny(h, exceptions.get(n)) && !negated(t, h, negations, e.negationWindow())) {
                    standing.add(h);
                }
            }
            standing.sort(Comparator.comparingInt(Hit::start));
            if (Kinds.OCCURRENCE.equals(e.kind())) {
                if (standing.size() > e.max()) {
                    found.add(finding(text, e, standing.get(e.max())));
                }
            } else {
                for (Hit h : standing) {
                    found.add(finding(text, e, h));
                }
            }
        }
        return longestStand(found);
    }

    private static Finding finding(String text, Entry e, Hit h) {
        String suggestion = h.replacement() != null ? h.replacement() : e.suggestion();
        return new Finding(e.id(), e.category(), text.substring(h.start(), h.end()), suggestion, h.start(), h.end());
    }

    private static boolean overlapsAny(Hit h, List<int[]> spans) {
        for (int[] s : spans) {
            if (s[0] < h.end() && h.start() < s[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a negation ends within {@code window} words before the hit, in the same sentence: "not
     * your fault", "never really your fault" (window 2).
     */
    private static boolean negated(String t, Hit h, List<int[]> negations, Integer window) {
        if (window == null || window <= 0) {
            return false;
        }
        for (int[] neg : negations) {
            if (neg[1] <= h.start() && wordsBetween(t, neg[1], h.start()) < window) {
                return true;
            }
        }
        return false;
    }

    /** Words between two places of the text; a sentence's end between them counts as a wall. */
    private static int wordsBetween(String t, int from, int to) {
        int words = 0;
        boolean inWord = false;
        for (int k = from; k < to; k++) {
            char c = t.charAt(k);
            if (c == '.' || c == '!' || c == '?' || c == ';') {
                return Integer.MAX_VALUE;
            }
            boolean wordChar = Character.isLetterOrDigit(c) || c == '\'';
            if (wordChar && !inWord) {
                words++;
            }
            inWord = wordChar;
        }
        return words;
    }

    /** Drops a finding whose span lies within a longer (or an earlier-listed equal) one. */
    private static List<Finding> longestStand(List<Finding> found) {
        List<Finding> bySize = new ArrayList<>(found);
        bySize.sort(Comparator.comparingInt((Finding f) -> f.start() - f.end()));
        List<Finding> kept = new ArrayList<>();
        for (Finding f : bySize) {
            boolean inside = kept.stream().anyMatch(k -> k.start() <= f.start() && f.end() <= k.end());
            if (!inside) {
                kept.add(f);
            }
        }
        kept.sort(Comparator.comparingInt(Finding::start).thenComparingInt(Finding::end));
        return kept;
    }
}
