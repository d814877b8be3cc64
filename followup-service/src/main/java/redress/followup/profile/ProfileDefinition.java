package redress.followup.profile;

import java.util.List;

/**
 * A regulatory or service-level profile, one version of it: the business calendar its clocks run
 * on, its deadlines, its satisfaction follow-up, and how often an open case's customer is to hear
 * from the firm (none: no progress-update reminders).
 */
public record ProfileDefinition(
        String calendar, List<DeadlineSpec> deadlines, FollowupSpec followup, ProgressUpdateSpec progressUpdate) {

    public ProfileDefinition {
        deadlines = deadlines == null ? List.of() : List.copyOf(deadlines);
    }

    /** A definition without a progress-update cadence (every version saved before cadences existed). */
    public ProfileDefinition(String calendar, List<DeadlineSpec> deadlines, FollowupSpec followup) {
        this(calendar, deadlines, followup, null);
    }

    /**
     * @param delay    working time after resolution when the customer is asked (ISO-8601 duration)
     * @param window   working time the follow-up stays open for an outcome; half-way a reminder
     *                 ({@code followup.due} again, kind {@code REMINDER}), at its end {@code NO_RESPONSE}
     */
    public record FollowupSpec(String delay, String window) {}

    /**
     * The progress-update cadence: a reminder is due when an open case's customer has heard nothing
     * from the firm for this long. Exactly one of the two.
     *
     * @param everyWorkingDays due at the close of the Nth business day (on the profile's calendar) after
     *     the day the customer last heard from the firm
     * @param every            working time (ISO-8601, {@code PT45S}) after the last contact: for the demo
     *     profile, whose clocks run in seconds
     */
    public record ProgressUpdateSpec(Integer everyWorkingDays, String every) {}
}
