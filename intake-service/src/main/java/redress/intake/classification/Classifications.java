package redress.intake.classification;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.payload.CaseReclassified;
import redress.intake.complaint.Complaint;
import redress.intake.complaint.ProfileNames;
import redress.intake.taxonomy.Taxonomies;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Corrects a case's regulatory profile, product, category or product group. The case keeps only its current
 * classification; each change, with what it was before and why, is a {@code case.reclassified}
 * event written in the same transaction (and so in the audit log).
 */
@ApplicationScoped
public class Classifications {

    private final EventEmitter events;
    private final ProfileNames profiles;
    private final Taxonomies taxonomies;
    private final Clock clock;

    public Classifications(EventEmitter events, ProfileNames profiles, Taxonomies taxonomies, Clock clock) {
        this.events = events;
        this.profiles = profiles;
        this.taxonomies = taxonomies;
        this.clock = clock;
    }

    @Transactional
    public Complaint reclassify(UUID caseId, Reclassify r, Actor actor) {
        // The body's shape first (400, 422), then the case (404, 409), then whether anything changes (422).
        if (r.regulatoryProfile() == null && r.product() == null && r.category() == null && r.productGroup() == null) {
            throw ProblemException.unprocessable(
                    "classification-unchanged",
                    "Give at least one of regulatoryProfile, product, category and productGroup");
        }
        if (r.productGroup() != null && r.productGroup().isBlank()) {
            throw ProblemException.invalidField("productGroup", "must not be blank");
        }
        if (r.category() != null && r.category().isBlank()) {
            throw ProblemException.invalidField("category", "must not be blank");
        }
        if (r.regulatoryProfile() != null && r.regulatoryProfile().isBlank()) {
            throw ProblemException.invalidField("regulatoryProfile", "must not be blank");
        }
        String profile = r.regulatoryProfile() == null ? null : profiles.require(r.regulatoryProfile());
        String group = r.productGroup() == null
                ? null
                : Taxonomies.requireProductGroup(
                                taxonomies.current(), r.productGroup().trim())
                        .code();

        Complaint c = Complaint.lockedForUpdate(caseId);
        Complaint.Classification now = c.classification();
        Complaint.Classification to = new Complaint.Classification(
                profile == null ? now.regulatoryProfile() : profile,
                r.product() == null ? now.product() : blankToNull(r.product()),
                r.category() == null ? now.category() : r.category().trim(),
                group == null ? now.productGroup() : group);
        Complaint.Classification before = c.reclassify(to, Clocks.now(clock));
        events.emit(
                actor,
                c.customerId,
                new CaseReclassified(
                        c.id,
                        c.reference,
                        before.regulatoryProfile(),
                        to.regulatoryProfile(),
                        before.product(),
                        to.product(),
                        before.category(),
                        to.category(),
                        r.reason().trim(),
                        before.productGroup(),
                        to.productGroup()),
                null);
        return c;
    }

    private static String blankToNull(String s) {
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
