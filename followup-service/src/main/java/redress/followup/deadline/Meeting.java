package redress.followup.deadline;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import redress.followup.profile.MeetingTokens;

/**
 * Something that happened on a case that may meet (or extend) its deadlines: the meeting tokens
 * one event carried, most specific first ({@link MeetingTokens#ordered}), when it happened, the
 * date it stated ({@code expectedBy} of a holding response or delay notice, else null), the
 * statements it contained ({@code elements} of a written response, else empty) and the event.
 */
public record Meeting(List<String> tokens, Instant at, Instant expectedBy, List<String> elements, UUID eventId) {

    public Meeting {
        tokens = MeetingTokens.ordered(tokens);
        elements = elements == null ? List.of() : List.copyOf(elements);
    }

    /** What a case event that is not a written response carries: tokens and a time. */
    public static Meeting of(List<String> tokens, Instant at, UUID eventId) {
        return new Meeting(tokens, at, null, List.of(), eventId);
    }

    /** The first of this meeting's tokens that {@code listed} names, or null. */
    public String firstOf(List<String> listed) {
        for (String t : tokens) {
            if (listed.contains(t)) {
                return t;
            }
        }
        return null;
    }
}
