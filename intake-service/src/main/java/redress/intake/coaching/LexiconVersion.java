package redress.intake.coaching;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One published version of the language coaching lexicon, never changed once written. */
@Entity
@Table(name = "coaching_lexicon_version")
public class LexiconVersion extends PanacheEntityBase {

    @Id
    public int version;

    public String language;

    /** The lexicon as JSON: {@code {"entries":[…],"negations":[…],"deEscalation":{…}}}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String document;

    public String reason;
    public String createdBy;
    public Instant createdAt;
}
