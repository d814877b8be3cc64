package redress.escalation.rule;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One saved version of a rule. Versions are never changed: every change, a deletion too, adds one. */
@Entity
@IdClass(RuleVersion.Key.class)
public class RuleVersion extends PanacheEntityBase {

    /** The primary key (Hibernate reads a record as an id class). */
    public record Key(String ruleId, int version) implements Serializable {}

    @Id
    public String ruleId;

    @Id
    public int version;

    public String name;
    public String condition;
    public String target;
    public int position;
    public boolean enabled;
    public String reason;
    /** WATCH or HAND_OVER ({@link redress.events.EscalationAction}). */
    public String action;

    public boolean deleted;
    public String savedBy;
    public Instant savedAt;

    public static List<RuleVersion> of(String ruleId) {
        return list("ruleId = ?1 order by version", ruleId);
    }

    public static RuleVersion find(String ruleId, int version) {
        return findById(new Key(ruleId, version));
    }

    /** The live version of every rule that is neither deleted nor disabled, in evaluation order. */
    public static List<RuleVersion> live() {
        return find("select v from RuleVersion v, Rule r where v.ruleId = r.id and v.version = r.currentVersion"
                        + " and r.deleted = false and v.enabled = true order by v.position, v.ruleId")
                .list();
    }
}
