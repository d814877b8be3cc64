package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.Severity;

/**
 * {@code redress.escalation.raised}: a rule (or a person) handed a case up to {@code level}, or asked
 * someone at {@code level} to watch it, with a briefing for whoever picks it up.
 *
 * @param action {@code WATCH} (the agent keeps the case, {@code level} watches it) or {@code HAND_OVER}
 *     (the case moves to {@code level}'s queue); null on events written before actions existed, which
 *     means {@code HAND_OVER} ({@link #effectiveAction()})
 */
public record EscalationRaised(
        UUID escalationId,
        UUID caseId,
        String reference,
        EscalationLevel level,
        EscalationLevel previousLevel,
        Severity severity,
        String reason,
        String ruleId,
        Integer ruleVersion,
        String briefing,
        Instant responseDueAt,
        EscalationAction action)
        implements CasePayload {

    /** The action, {@code HAND_OVER} when the event names none (it was written before actions existed). */
    public EscalationAction effectiveAction() {
        return EscalationAction.orDefault(action);
    }

    /** An escalation raised, its components set by name rather than by position. */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for the components; a component left unset is {@code null} (or {@code 0}). */
    public static final class Builder {
        private UUID escalationId;
        private UUID caseId;
        private String reference;
        private EscalationLevel level;
        private EscalationLevel previousLevel;
        private Severity severity;
        private String reason;
        private String ruleId;
        private Integer ruleVersion;
        private String briefing;
        private Instant responseDueAt;
        private EscalationAction action;

        private Builder() {}

        public Builder escalationId(UUID escalationId) {
            this.escalationId = escalationId;
            return this;
        }

        public Builder caseId(UUID caseId) {
            this.caseId = caseId;
            return this;
        }

        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        public Builder level(EscalationLevel level) {
            this.level = level;
            return this;
        }

        public Builder previousLevel(EscalationLevel previousLevel) {
            this.previousLevel = previousLevel;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder ruleId(String ruleId) {
            this.ruleId = ruleId;
            return this;
        }

        public Builder ruleVersion(Integer ruleVersion) {
            this.ruleVersion = ruleVersion;
            return this;
        }

        public Builder briefing(String briefing) {
            this.briefing = briefing;
            return this;
        }

        public Builder responseDueAt(Instant responseDueAt) {
            this.responseDueAt = responseDueAt;
            return this;
        }

        public Builder action(EscalationAction action) {
            this.action = action;
            return this;
        }

        public EscalationRaised build() {
            return new EscalationRaised(
                    escalationId,
                    caseId,
                    reference,
                    level,
                    previousLevel,
                    severity,
                    reason,
                    ruleId,
                    ruleVersion,
                    briefing,
                    responseDueAt,
                    action);
        }
    }
}
