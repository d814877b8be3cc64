package redress.escalation.rule;

import java.time.Instant;

/**
 * A rule version as the API shows it. {@code problem}: why its stored condition no longer compiles
 * (then it is left out of evaluation even when enabled), or absent.
 */
public record RuleView(
        String id,
        int version,
        String name,
        String condition,
        String target,
        String action,
        int position,
        boolean enabled,
        String reason,
        boolean deleted,
        String savedBy,
        Instant savedAt,
        String problem) {

    static RuleView of(RuleVersion v, String problem) {
        return new RuleView(
                v.ruleId,
                v.version,
                v.name,
                v.condition,
                v.target,
                v.action,
                v.position,
                v.enabled,
                v.reason,
                v.deleted,
                v.savedBy,
                v.savedAt,
                problem);
    }
}
