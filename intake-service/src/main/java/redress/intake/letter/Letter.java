package redress.intake.letter;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.support.problem.ProblemException;

/**
 * A final response letter: drafted from a template version and the case's data at the draft,
 * approved by a supervisor other than its author, then sent. Its rendering is not stored (it names
 * the customer); {@code documentSha256} is the SHA-256 of the PDF every rendering gives.
 */
@Entity
public class Letter extends PanacheEntityBase {

    public enum Status {
        DRAFTED,
        APPROVED,
        SENT
    }

    @Id
    public UUID id;

    public UUID caseId;
    public UUID templateId;

    /** {@link LetterData} as JSON: what the letter says, but the customer's name. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String data;

    public String documentSha256;

    @Enumerated(EnumType.STRING)
    public Status status;

    public String draftedBy;
    public Instant draftedAt;
    public String approvedBy;
    public Instant approvedAt;
    public String sentBy;
    public Instant sentAt;
    public UUID interactionId;

    public static List<Letter> ofCase(UUID caseId) {
        return list("caseId = ?1 order by draftedAt, id", caseId);
    }

    /** The case's letter, locked for update; 404 when the case has no letter of that id. */
    public static Letter lockedOfCase(UUID caseId, UUID letterId) {
        Letter l = findById(letterId, LockModeType.PESSIMISTIC_WRITE);
        if (l == null || !l.caseId.equals(caseId)) {
            throw ProblemException.notFound("Letter", letterId);
        }
        return l;
    }

    public static Letter ofCase(UUID caseId, UUID letterId) {
        Letter l = findById(letterId);
        if (l == null || !l.caseId.equals(caseId)) {
            throw ProblemException.notFound("Letter", letterId);
        }
        return l;
    }
}
