package redress.intake.letter;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One version of the letter template of a profile and language; never changed once written. */
@Entity
public class LetterTemplate extends PanacheEntityBase {

    @Id
    public UUID id;

    public String profile;
    public String language;
    public int version;
    /** A Qute template of XHTML. */
    public String body;
    /** The codes of the regulatory statements the wording contains. */
    public String[] elements;
    /** The zone the letter's dates are given in. */
    public String timeZone;

    public String reason;
    public String createdBy;
    public Instant createdAt;

    /** The newest version of the profile's template in this language, if there is one. */
    public static Optional<LetterTemplate> current(String profile, String language) {
        return find("profile = ?1 and language = ?2 order by version desc", profile, language)
                .firstResultOptional();
    }
}
