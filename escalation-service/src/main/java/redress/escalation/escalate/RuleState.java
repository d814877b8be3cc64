package redress.escalation.escalate;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Whether a rule's condition held for a case after the last event: the edge a rule fires on. */
@Entity
@IdClass(RuleState.Key.class)
public class RuleState extends PanacheEntityBase {

    public static class Key implements Serializable {
        public UUID caseId;
        public String ruleId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.caseId, caseId) && Objects.equals(k.ruleId, ruleId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(caseId, ruleId);
        }
    }

    @Id
    public UUID caseId;
    @Id
    public String ruleId;
    public boolean satisfied;
    public Instant changedAt;

    /** The cases' rule states, by case and rule id. */
    public static java.util.Map<UUID, java.util.Map<String, RuleState>> ofCases(java.util.Set<UUID> caseIds) {
        java.util.Map<UUID, java.util.Map<String, RuleState>> all = new java.util.HashMap<>();
        RuleState.<RuleState>list("caseId in ?1", caseIds)
                .forEach(s -> all.computeIfAbsent(s.caseId, k -> new java.util.HashMap<>()).put(s.ruleId, s));
        return all;
    }
}
