package redress.escalation.rule;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import redress.events.EscalationAction;

/**
 * A rule as a rules-admin writes it. {@code id} is given on creation (a short slug that appears in
 * every escalation the rule raises); on a change it may be left out.
 *
 * @param target   TEAM_LEAD, SUPERVISOR, MANAGER, or ONE_UP (one level above where the case stands)
 * @param position evaluation order, lowest first (default 100)
 * @param enabled  default true
 * @param action   WATCH (someone at the target level watches, the agent keeps the case) or HAND_OVER
 *     (the case moves to the target level's queue); default HAND_OVER
 */
public record RuleBody(
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "lower-case letters, digits and dashes, at most 63")
        String id,

        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 4000) String condition,

        @NotBlank
        @Pattern(regexp = "TEAM_LEAD|SUPERVISOR|MANAGER|ONE_UP", message = "TEAM_LEAD, SUPERVISOR, MANAGER or ONE_UP")
        String target,

        @PositiveOrZero Integer position,
        Boolean enabled,
        @NotBlank @Size(max = 1000) String reason,

        @Pattern(regexp = "WATCH|HAND_OVER", message = "WATCH or HAND_OVER")
        String action) {

    /** The action, HAND_OVER when left out. */
    public EscalationAction actionOrDefault() {
        return action == null ? EscalationAction.HAND_OVER : EscalationAction.valueOf(action);
    }
}
