package redress.escalation.rule;

import java.time.Instant;

/** A rule version as the API shows it. */
public record RuleView(String id, int version, String name, String condition, String target, int position,
        boolean enabled, String reason, boolean deleted, String savedBy, Instant savedAt) {

    static RuleView of(RuleVersion v) {
        return new RuleView(v.ruleId, v.version, v.name, v.condition, v.target, v.position, v.enabled, v.reason,
                v.deleted, v.savedBy, v.savedAt);
    }
}
