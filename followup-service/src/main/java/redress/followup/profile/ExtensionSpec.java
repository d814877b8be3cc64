package redress.followup.profile;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import redress.followup.calendar.BusinessCalendar;

/**
 * How a written communication sent before a deadline is due gives it longer, as the rule allows:
 * DISP 1.6.2AR(2)'s holding reply (15 business days become at most 35), RG 271's delay
 * notification (the date the firm gave the complainant). The deadline stays pending until one of
 * its {@code metBy} arrives; only the first extension counts, and only one sent before the due time.
 *
 * @param by                 the meeting tokens that extend it ({@link MeetingTokens}); a single string is accepted
 * @param clock              the longer period, counted from the deadline's start (its receipt): the
 *                           due time once extended; may be absent when {@code untilStatedDate}
 * @param untilStatedDate    the due time becomes the date the communication states ({@code expectedBy}),
 *                           no later than {@code clock} when both are given
 * @param requiresStatedDate a communication that states no date ({@code expectedBy}) extends nothing
 * @param requires           the statements ({@code interaction.recorded.elements}, codes of
 *                           {@code redress.events.ResponseRequirements}) it must contain to extend:
 *                           DISP 1.6.2AR(2)'s reasons and deadline, RG 271's reasons and AFCA details
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtensionSpec(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> by,

        ClockSpec clock,
        boolean untilStatedDate,
        boolean requiresStatedDate,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> requires) {

    public ExtensionSpec {
        by = by == null ? List.of() : List.copyOf(by);
        requires = requires == null ? List.of() : List.copyOf(requires);
    }

    /** Whether a communication that stated {@code stated} and contains {@code elements} may extend. */
    public boolean accepts(Instant stated, List<String> elements) {
        return (!requiresStatedDate || stated != null) && elements.containsAll(requires);
    }

    /**
     * The due time once extended, for a deadline started at {@code start}, by a communication that
     * stated {@code stated} (may be null); null when there is nothing to extend to.
     */
    public Instant due(Instant start, BusinessCalendar calendar, Instant stated) {
        Instant byClock = clock == null ? null : clock.due(start, calendar);
        if (untilStatedDate && stated != null) {
            return byClock == null || stated.isBefore(byClock) ? stated : byClock;
        }
        return byClock;
    }
}
