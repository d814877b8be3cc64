package redress.intake.review;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One post-case review (issue 31), as recorded; never changed afterwards. */
@Entity
public class CaseReview extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID complaintId;
    public String wentWell;
    public String couldBeBetter;
    // A root cause of the complaint taxonomy of taxonomyVersion; both null when none was given.
    public String rootCause;
    public Integer taxonomyVersion;
    public String reviewedBy;
    public Instant reviewedAt;

    public static List<CaseReview> ofCase(UUID complaintId) {
        return list("complaintId = ?1 order by reviewedAt, id", complaintId);
    }
}
