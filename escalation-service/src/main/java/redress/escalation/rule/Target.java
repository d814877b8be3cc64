package redress.escalation.rule;

import java.util.Optional;

import redress.events.EscalationLevel;

/** Where a rule sends a case: a level above AGENT, or one up from where the case stands. */
public final class Target {

    public static final String ONE_UP = "ONE_UP";

    private Target() {}

    public static boolean valid(String target) {
        if (ONE_UP.equals(target)) {
            return true;
        }
        try {
            return EscalationLevel.valueOf(target) != EscalationLevel.AGENT;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** The level to escalate to from {@code effective}, or empty when that would not go up (never down, never past MANAGER). */
    public static Optional<EscalationLevel> from(String target, EscalationLevel effective) {
        EscalationLevel to;
        if (ONE_UP.equals(target)) {
            if (effective == EscalationLevel.MANAGER) {
                return Optional.empty();
            }
            to = EscalationLevel.values()[effective.ordinal() + 1];
        } else {
            to = EscalationLevel.valueOf(target);
        }
        return to.compareTo(effective) > 0 ? Optional.of(to) : Optional.empty();
    }
}
