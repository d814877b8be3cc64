package redress.escalation.rule;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A rule's identity and which of its versions is live. Its content lives in {@link RuleVersion}. */
@Entity
public class Rule extends PanacheEntityBase {

    @Id
    public String id;

    public int currentVersion;
    public boolean deleted;
}
