package redress.followup.profile;

import java.util.List;

/**
 * One deadline of a profile.
 *
 * @param kind       what is due: {@code ACKNOWLEDGEMENT}, {@code FINAL_RESPONSE}, {@code SUMMARY_RESOLUTION}, ...
 * @param clock      how its due time is counted from the start
 * @param pausable   whether the clock stops while the case awaits the customer (never for a regulator's)
 * @param warnAt     fractions of the time allowed at which a {@code deadline.warning} is emitted, ascending
 * @param breachable false for a window that is only met or missed (DISP 1.5's three business days):
 *                   its miss is recorded, not emitted as a breach
 * @param metBy      what meets it: {@code ACKNOWLEDGED}, {@code FIRST_OUTBOUND} or {@code RESOLVED}
 */
public record DeadlineSpec(String kind, ClockSpec clock, boolean pausable, List<Double> warnAt, boolean breachable,
        String metBy) {

    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String FIRST_OUTBOUND = "FIRST_OUTBOUND";
    public static final String RESOLVED = "RESOLVED";

    public DeadlineSpec {
        warnAt = warnAt == null ? List.of() : List.copyOf(warnAt);
    }
}
