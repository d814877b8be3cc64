package redress.intake.taxonomy;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One published version of the complaint taxonomy, never changed once written. */
@Entity
public class TaxonomyVersion extends PanacheEntityBase {

    @Id
    public int version;

    /** The taxonomy as JSON: {@code {"productGroups":[…],"rootCauses":[…]}}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String document;

    public String reason;
    public String createdBy;
    public Instant createdAt;
}
