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

    public static List<RuleState> ofCase(UUID caseId) {
        return list("caseId", caseId);
    }
}
