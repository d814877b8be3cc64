package redress.followup.profile;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One deadline of a profile.
 *
 * @param kind       what is due: {@code ACKNOWLEDGEMENT}, {@code FINAL_RESPONSE}, {@code SUMMARY_RESOLUTION}, ...
 * @param clock      how its due time is counted from the start
 * @param pausable   whether the clock stops while the case awaits the customer (never for a regulator's)
 * @param warnAt     fractions of the time allowed at which a {@code deadline.warning} is emitted, ascending
 * @param breachable false for a window that is only met or missed (DISP 1.5's three business days):
 *                   its miss is recorded, not emitted as a breach
 * @param metBy      what meets it, one or more {@link MeetingTokens} (any of them meets it); a single
 *                   string is accepted, as stored definitions and deadlines before version 2 have it
 * @param extendedBy what gives it longer before it is due (DISP 1.6.2AR's holding reply), or null
 * @param discharges the kinds of the case's other deadlines that this one, met before its due time,
 *                   meets too (DISP 1.5: a complaint resolved by the third business day is out of
 *                   the time limit rules; RG 271: closed within five business days, no IDR response)
 * @param onReopen   what a reopening does to it: {@code NONE}, {@code RESTART} (a new one from the
 *                   reopening: the firm's own levels) or {@code FROM_RECEIPT} (the regulator's period
 *                   from the first receipt runs on); absent: {@link #reopening()}
 */
public record DeadlineSpec(
        String kind,
        ClockSpec clock,
        boolean pausable,
        List<Double> warnAt,
        boolean breachable,

        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> metBy,

        @JsonInclude(JsonInclude.Include.NON_NULL) ExtensionSpec extendedBy,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> discharges,
        @JsonInclude(JsonInclude.Include.NON_NULL) String onReopen) {

    public static final String ACKNOWLEDGED = MeetingTokens.ACKNOWLEDGED;
    public static final String FIRST_OUTBOUND = MeetingTokens.FIRST_OUTBOUND;
    public static final String RESOLVED = MeetingTokens.RESOLVED;

    public static final String NONE = "NONE";
    public static final String RESTART = "RESTART";
    public static final String FROM_RECEIPT = "FROM_RECEIPT";
    public static final List<String> ON_REOPEN = List.of(NONE, RESTART, FROM_RECEIPT);

    public DeadlineSpec {
        warnAt = warnAt == null ? List.of() : List.copyOf(warnAt);
        metBy = metBy == null ? List.of() : List.copyOf(metBy);
        discharges = discharges == null ? List.of() : List.copyOf(discharges);
    }

    /** A deadline met by one token, with nothing extending or discharging and the default reopening. */
    public DeadlineSpec(
            String kind, ClockSpec clock, boolean pausable, List<Double> warnAt, boolean breachable, String metBy) {
        this(kind, clock, pausable, warnAt, breachable, metBy == null ? null : List.of(metBy), null, null, null);
    }

    /**
     * What a reopening does: {@code onReopen} when given; else what version 1 did: a breachable
     * deadline met by {@code RESOLVED} starts again from the reopening ({@code RESTART}), others
     * stay as they are ({@code NONE}).
     */
    public String reopening() {
        if (onReopen != null) {
            return onReopen;
        }
        return breachable && metBy.contains(RESOLVED) ? RESTART : NONE;
    }
}
