package redress.intake.coaching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import redress.events.payload.CoachingLexiconChanged.Entry;
import redress.events.payload.InteractionRecorded.Finding;

/** The lexicon's three shapes (Vale's existence, substitution, occurrence) on texts an agent might write. */
class LexiconMatcherTest {

    static final Entry BLAME = new Entry(
            "blame",
            "EXISTENCE",
            "BLAME",
            List.of("your fault", "you should have"),
            null,
            "Say what you will do",
            null,
            2,
            null);
    static final Entry PROBLEM = new Entry(
            "problem",
            "EXISTENCE",
            "NEGATIVE",
            List.of("problem"),
            null,
            "Name the matter itself",
            List.of("no problem", "not a problem"),
            null,
            null);
    static final Entry CANT = new Entry(
            "cant",
            "SUBSTITUTION",
            "NEGATIVE",
            null,
            Map.of("can't", "what I can do is", "unfortunately", "here is where things stand"),
            null,
            null,
            null,
            null);
    static final Entry CALM = new Entry(
            "calm", "EXISTENCE", "DISMISSIVE", List.of("calm down"), null, "Acknowledge the feeling", null, null, null);
    static final Entry NEED_CALM = new Entry(
            "need-calm",
            "EXISTENCE",
            "BLAME",
            List.of("you need to calm down"),
            null,
            "Acknowledge the feeling",
            null,
            null,
            null);
    static final Entry SORRY = new Entry(
            "sorry",
            "OCCURRENCE",
            "OVER_APOLOGY",
            List.of("sorry", "apologise", "apologize"),
            null,
            "Apologise once",
            null,
            null,
            2);

    static final LexiconMatcher M =
            new LexiconMatcher(List.of(BLAME, PROBLEM, CANT, CALM, NEED_CALM, SORRY), List.of("not", "never"));

    static List<String> ids(List<Finding> fs) {
        return fs.stream().map(Finding::entryId).toList();
    }

    @Test
    void existenceFindsAPhraseWithItsPlaceAsWritten() {
        String text = "Well, that is YOUR FAULT for the late payment.";
        List<Finding> fs = M.check(text);
        assertEquals(1, fs.size(), fs.toString());
        Finding f = fs.get(0);
        assertEquals("blame", f.entryId());
        assertEquals("BLAME", f.category());
        assertEquals("YOUR FAULT", f.phrase(), "the phrase as the agent wrote it");
        assertEquals("YOUR FAULT", text.substring(f.start(), f.end()));
        assertEquals("Say what you will do", f.suggestion());
    }

    @Test
    void onlyWholeWordsMatch() {
        assertEquals(List.of(), M.check("The problems were sorted; a problematic sorryness"));
        assertEquals(List.of("problem"), ids(M.check("That problem, sorted.")));
    }

    @Test
    void anExceptionOverlappingAHitSuppressesIt() {
        assertEquals(List.of(), M.check("No problem at all, and not a problem either."));
        assertEquals(
                List.of("problem"), ids(M.check("No problem: I have found the problem.")), "only the bare one stands");
    }

    @Test
    void aNegationWithinTheWindowTurnsThePhraseRound() {
        assertEquals(List.of(), M.check("This is not your fault."));
        assertEquals(List.of(), M.check("This was never really your fault."), "one word between: within 2");
        assertEquals(
                List.of("blame"), ids(M.check("This is not, as far as I see, your fault.")), "four words: outside");
        assertEquals(List.of("blame"), ids(M.check("Not now. Your fault.")), "a sentence's end is a wall");
        assertEquals(
                List.of("problem"),
                ids(M.check("It is not the problem.")),
                "an entry without a window ignores negations");
    }

    @Test
    void substitutionSuggestsEachPhrasesReplacementAndReadsTypographicApostrophes() {
        List<Finding> fs = M.check("Unfortunately I can’t refund it.");
        assertEquals(2, fs.size(), fs.toString());
        assertEquals("Unfortunately", fs.get(0).phrase());
        assertEquals("here is where things stand", fs.get(0).suggestion());
        assertEquals("can’t", fs.get(1).phrase(), "as written, with its typographic apostrophe");
        assertEquals("what I can do is", fs.get(1).suggestion());
    }

    @Test
    void occurrenceFindsOnlyBeyondItsCount() {
        assertEquals(List.of(), M.check("Sorry for the wait. I apologise for the error."));
        List<Finding> fs = M.check("Sorry. I am so sorry. I apologize again.");
        assertEquals(List.of("sorry"), ids(fs));
        assertEquals("apologize", fs.get(0).phrase(), "the one over the count");
        assertEquals("Apologise once", fs.get(0).suggestion());
    }

    @Test
    void theLongerOfTwoOverlappingFindingsStands() {
        List<Finding> fs = M.check("Sir, you need to calm down.");
        assertEquals(List.of("need-calm"), ids(fs));
        assertEquals(List.of("calm"), ids(M.check("Please calm down.")));
    }

    @Test
    void aPhraseBrokenOverALineIsStillFound() {
        assertEquals(List.of("blame"), ids(M.check("you should\nhave called us")));
    }

    @Test
    void theSeedFindsTheSeedsBlameAndLeavesAPositiveReplyAlone() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        PublishLexicon seed =
                json.readValue(Lexicons.class.getResourceAsStream("/coaching/seed.json"), PublishLexicon.class);
        Lexicons.check(seed);
        Lexicons.Compiled c = Lexicons.candidate(seed);
        List<Finding> blaming =
                c.matcher().check("As I already told you, this is your fault: you should have read the terms.");
        assertEquals(List.of("accusation-already-told", "blame-customer", "blame-customer"), ids(blaming));
        assertTrue(c.matcher()
                .check(
                        "Thank you for your patience. I have refunded the second payment today and will call you on Friday.")
                .isEmpty());
    }
}
