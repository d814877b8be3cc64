package redress.intake.review;

import java.time.Instant;
import java.util.UUID;

public record CaseReviewView(
        UUID id,
        UUID caseId,
        String wentWell,
        String couldBeBetter,
        String rootCause,
        Integer taxonomyVersion,
        String reviewedBy,
        Instant reviewedAt) {

    static CaseReviewView of(CaseReview r) {
        return new CaseReviewView(
                r.id,
                r.complaintId,
                r.wentWell,
                r.couldBeBetter,
                r.rootCause,
                r.taxonomyVersion,
                r.reviewedBy,
                r.reviewedAt);
    }
}
