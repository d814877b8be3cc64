package redress.followup.profile;

import java.util.List;

/**
 * A regulatory or service-level profile, one version of it: the business calendar its clocks run
 * on, its deadlines, and its satisfaction follow-up.
 */
public record ProfileDefinition(String calendar, List<DeadlineSpec> deadlines, FollowupSpec followup) {

    public ProfileDefinition {
        deadlines = deadlines == null ? List.of() : List.copyOf(deadlines);
    }

    /**
     * @param delay    working time after resolution when the customer is asked (ISO-8601 duration)
     * @param window   working time the follow-up stays open for an outcome; half-way a reminder
     *                 ({@code followup.due} again, kind {@code REMINDER}), at its end {@code NO_RESPONSE}
     */
    public record FollowupSpec(String delay, String window) {}
}
