package redress.intake.coaching;

import java.util.List;

/** The shapes a lexicon entry can take, Vale's names for them (docs/coaching.md). */
final class Kinds {

    private Kinds() {}

    /** Any of the entry's tokens is a finding. */
    static final String EXISTENCE = "EXISTENCE";

    /** Each phrase of the entry's {@code swap} is a finding, its replacement the suggestion. */
    static final String SUBSTITUTION = "SUBSTITUTION";

    /** More than {@code max} of the entry's tokens in one text is a finding. */
    static final String OCCURRENCE = "OCCURRENCE";

    static final List<String> ALL = List.of(EXISTENCE, SUBSTITUTION, OCCURRENCE);
}
