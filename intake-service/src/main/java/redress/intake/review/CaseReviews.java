package redress.intake.review;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.payload.CaseReviewed;
import redress.intake.complaint.Complaint;
import redress.intake.taxonomy.Taxonomies;
import redress.intake.taxonomy.Taxonomy;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Issue 31: the post-case review, seed 001's "Learn from the experience": "Reflect on what went
 * well and what could have been handled better". Only a RESOLVED or CLOSED case is reviewed (409
 * otherwise); a review says at least one of the two (400 otherwise); a root cause, when given, is
 * one of the current complaint taxonomy (422 otherwise). Each review is a row and a
 * {@code redress.case.reviewed} event in one transaction; a refused one writes nothing.
 */
@ApplicationScoped
public class CaseReviews {

    private final EventEmitter events;
    private final Taxonomies taxonomies;
    private final Clock clock;

    public CaseReviews(EventEmitter events, Taxonomies taxonomies, Clock clock) {
        this.events = events;
        this.taxonomies = taxonomies;
        this.clock = clock;
    }

    @Transactional
    public CaseReviewView review(UUID caseId, ReviewCase r, Actor actor) {
        String wentWell = blankToNull(r.wentWell());
        String couldBeBetter = blankToNull(r.couldBeBetter());
        if (wentWell == null && couldBeBetter == null) {
            throw ProblemException.invalidField(
                    "wentWell",
                    "or couldBeBetter is required: say what went well or what could have been handled better");
        }
        String rootCause = blankToNull(r.rootCause());
        Complaint c = Complaint.lockedForUpdate(caseId);
        c.checkReviewable();
        Integer taxonomyVersion = null;
        if (rootCause != null) {
            Taxonomy t = taxonomies.current();
            Taxonomies.requireRootCause(t, rootCause);
            taxonomyVersion = t.version();
        }
        Instant now = Clocks.now(clock);
        CaseReview review = new CaseReview();
        review.id = UUID.randomUUID();
        review.complaintId = c.id;
        review.wentWell = wentWell;
        review.couldBeBetter = couldBeBetter;
        review.rootCause = rootCause;
        review.taxonomyVersion = taxonomyVersion;
        review.reviewedBy = actor.id();
        review.reviewedAt = now;
        review.persist();
        events.emit(
                actor,
                c.customerId,
                new CaseReviewed(
                        c.id, c.reference, review.id, wentWell, couldBeBetter, rootCause, taxonomyVersion, now),
                null);
        return CaseReviewView.of(review);
    }

    public List<CaseReviewView> list(UUID caseId) {
        Complaint.existing(caseId);
        return CaseReview.ofCase(caseId).stream().map(CaseReviewView::of).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
