package redress.intake.interaction;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.Direction;
import redress.events.InteractionKind;
import redress.events.PromiseStatus;
import redress.events.ResponseRequirements;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.InteractionRecorded.Coaching;
import redress.events.payload.PromiseMade;
import redress.intake.abuse.AbuseReportLink;
import redress.intake.abuse.AbuseReports;
import redress.intake.coaching.LanguageCoach;
import redress.intake.complaint.Complaint;
import redress.intake.complaint.ComplaintIntake;
import redress.intake.complaint.IntakeConfig;
import redress.intake.lifecycle.CaseLifecycle;
import redress.intake.promise.Promise;
import redress.support.outbox.EventEmitter;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Records what happened on a case, and what follows from it (acknowledgement, promise, start of
 * work). A written response must contain the statements its case's profile requires
 * ({@link ResponseRequirements}); one that does not is refused (422) and nothing is written.
 */
@ApplicationScoped
public class Interactions {

    private final EventEmitter events;
    private final CaseLifecycle lifecycle;
    private final Clock clock;
    private final LanguageCoach coach;
    private final AbuseReports abuse;
    private final IntakeConfig config;

    public Interactions(
            EventEmitter events,
            CaseLifecycle lifecycle,
            Clock clock,
            LanguageCoach coach,
            AbuseReports abuse,
            IntakeConfig config) {
        this.events = events;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.coach = coach;
        this.abuse = abuse;
        this.config = config;
    }

    @Transactional
    public InteractionView record(UUID caseId, RecordInteraction r, Actor actor) {
        return record(caseId, r, actor, null);
    }

    /**
     * As {@link #record(UUID, RecordInteraction, Actor)}, for a written response whose document
     * intake-service rendered: {@code documentSha256} (lower-case hex of the document's SHA-256) is
     * stored with the interaction and carried by its event.
     */
    @Transactional
    public InteractionView record(UUID caseId, RecordInteraction r, Actor actor, String documentSha256) {
        Instant now = Clocks.now(clock);
        checkKindFields(r, now);
        // Checked with the body, as a complaint's receivedAt is.
        ComplaintIntake.checkNotAhead(
                "occurredAt", r.occurredAt(), now, config.receivedAt().maxSkew());
        List<String> elements = elements(r);
        Complaint c = Complaint.lockedForUpdate(caseId);
        c.checkTakesInteractions();
        Instant occurred = ComplaintIntake.occurredAt(r.occurredAt(), c, now);
        if (elements != null) {
            checkRequiredElements(c.regulatoryProfile, r.kind(), elements);
        }
        boolean response = ResponseRequirements.RESPONSE_KINDS.contains(r.kind());

        Interaction i = new Interaction();
        i.id = UUID.randomUUID();
        i.complaintId = c.id;
        i.kind = r.kind();
        i.text = r.text().trim();
        // A written response goes to the customer: outbound, though the request names no direction.
        i.direction = response ? Direction.OUTBOUND : r.direction();
        i.channel = r.channel();
        i.tone = r.tone();
        i.expectedBy = r.expectedBy() == null ? null : r.expectedBy().truncatedTo(ChronoUnit.MICROS);
        i.responseStatus = r.responseStatus();
        i.elements = elements == null ? null : elements.toArray(String[]::new);
        i.actorType = actor.type();
        i.actorId = actor.id();
        i.occurredAt = occurred;
        i.recordedAt = now;
        i.documentSha256 = documentSha256;
        // Before the interaction is stored: the customer's last tone is that of an earlier contact.
        Coaching coaching = coach.coach(c.id, i.kind, i.direction, i.text);
        i.coaching = InteractionView.stored(coaching);
        Promise p = null;
        if (r.kind() == InteractionKind.EXPECTATION_SET) {
            p = new Promise();
            p.id = UUID.randomUUID();
            p.complaintId = c.id;
            p.interactionId = i.id;
            p.text = i.text;
            p.dueAt = r.dueAt().truncatedTo(ChronoUnit.MICROS);
            p.status = PromiseStatus.OPEN;
            p.madeBy = actor.id();
            p.madeAt = occurred;
            i.promiseId = p.id;
        }
        i.persist();
        if (p != null) {
            p.persist();
        }
        boolean firstAcknowledgement = c.interactionRecorded(i.kind, occurred, now);

        CaseEvent recorded = events.emit(
                actor,
                c.customerId,
                new InteractionRecorded(
                        c.id,
                        c.reference,
                        i.id,
                        i.kind,
                        i.text,
                        i.direction,
                        i.channel,
                        i.tone,
                        i.promiseId,
                        p == null ? null : p.dueAt,
                        occurred,
                        i.expectedBy,
                        i.responseStatus,
                        elements,
                        i.documentSha256,
                        coaching),
                null);
        if (p != null) {
            events.emit(actor, c.customerId, new PromiseMade(c.id, c.reference, p.id, i.id, p.text, p.dueAt), recorded);
        }
        if (firstAcknowledgement) {
            events.emit(actor, c.customerId, new CaseAcknowledged(c.id, c.reference, i.id, occurred), recorded);
        }
        // Issue 31: ending an abusive or threatening conversation reports it, whatever the case's level.
        AbuseReportLink report = abuse.fileIfAbusive(c, i, actor, recorded);
        lifecycle.startWorkIfWaiting(c, actor, recorded);
        InteractionView v = InteractionView.of(i, p == null ? null : p.dueAt);
        return report == null ? v : v.withAbuseReport(report);
    }

    public List<InteractionView> list(UUID caseId) {
        Complaint.existing(caseId);
        Map<UUID, Instant> dueByPromise =
                Promise.ofCase(caseId).stream().collect(Collectors.toMap(p -> p.id, p -> p.dueAt, (a, b) -> a));
        return Interaction.ofCase(caseId).stream()
                .map(i -> InteractionView.of(i, i.promiseId == null ? null : dueByPromise.get(i.promiseId)))
                .toList();
    }

    private static void checkKindFields(RecordInteraction r, Instant now) {
        boolean contact = r.kind() == InteractionKind.CUSTOMER_CONTACT;
        if (contact) {
            requirePresent("direction", r.direction());
            requirePresent("channel", r.channel());
            requirePresent("tone", r.tone());
        } else {
            requireAbsent("direction", r.direction(), r.kind());
            requireAbsent("channel", r.channel(), r.kind());
            requireAbsent("tone", r.tone(), r.kind());
        }
        if (r.kind() == InteractionKind.EXPECTATION_SET) {
            requirePresent("dueAt", r.dueAt());
            if (!r.dueAt().isAfter(now)) {
                throw ProblemException.invalidField("dueAt", "must be in the future");
            }
        } else {
            requireAbsent("dueAt", r.dueAt(), r.kind());
        }
        if (ResponseRequirements.ANNOUNCES_FINAL_RESPONSE.contains(r.kind())) {
            if (ResponseRequirements.STATES_WHEN_FINAL_RESPONSE.contains(r.kind())) {
                requirePresent("expectedBy", r.expectedBy());
            }
            if (r.expectedBy() != null && !r.expectedBy().isAfter(now)) {
                throw ProblemException.invalidField("expectedBy", "must be in the future");
            }
        } else {
            requireAbsent("expectedBy", r.expectedBy(), r.kind());
        }
        if (r.kind() == InteractionKind.SUBSTANTIVE_RESPONSE) {
            requirePresent("responseStatus", r.responseStatus());
            if (!ResponseRequirements.RESPONSE_STATUSES.contains(r.responseStatus())) {
                throw ProblemException.invalidField(
                        "responseStatus",
                        "must be one of " + String.join(", ", ResponseRequirements.RESPONSE_STATUSES));
            }
        } else {
            requireAbsent("responseStatus", r.responseStatus(), r.kind());
        }
        if (!ResponseRequirements.RESPONSE_KINDS.contains(r.kind())) {
            requireAbsent("elements", r.elements(), r.kind());
        }
    }

    /**
     * The statements a written response contains, each known, duplicates dropped, in the order
     * given; an absent list is an empty one. Null for the kinds that are not written responses.
     */
    private static List<String> elements(RecordInteraction r) {
        if (!ResponseRequirements.RESPONSE_KINDS.contains(r.kind())) {
            return null;
        }
        return elementCodes(r.elements());
    }

    /**
     * Element codes as given (a response's, a letter template's): each known (400 naming the known
     * ones otherwise), none null, duplicates dropped, in the order given; null is an empty list.
     */
    public static List<String> elementCodes(List<String> given) {
        if (given == null) {
            return List.of();
        }
        LinkedHashSet<String> codes = new LinkedHashSet<>();
        for (String e : given) {
            if (e == null) {
                throw ProblemException.invalidField("elements", "must not contain null");
            }
            if (!ResponseRequirements.isKnown(e)) {
                throw ProblemException.invalidField(
                        "elements",
                        e + " is not a known element; known are "
                                + String.join(", ", ResponseRequirements.ELEMENTS.keySet()));
            }
            codes.add(e);
        }
        return List.copyOf(codes);
    }

    private static void checkRequiredElements(String profile, InteractionKind kind, List<String> elements) {
        checkRequiredElements(profile, kind, elements, "A " + kind);
    }

    /**
     * 422 {@code missing-response-elements} naming each statement the profile requires of this kind
     * of response and {@code elements} lacks; {@code what} names the response in the detail.
     */
    public static void checkRequiredElements(String profile, InteractionKind kind, List<String> elements, String what) {
        List<ResponseRequirements.Element> missing = ResponseRequirements.missing(profile, kind, elements);
        if (missing.isEmpty()) {
            return;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ResponseRequirements.Element e : missing) {
            errors.add(new Problem.FieldError(
                    "elements", "must include " + e.code() + ": " + e.statement() + " (" + e.source() + ")"));
        }
        Problem p = Problem.of(
                422,
                "missing-response-elements",
                "Unprocessable request",
                what + " on a "
                        + profile + " case must contain "
                        + String.join(
                                ", ",
                                missing.stream()
                                        .map(ResponseRequirements.Element::code)
                                        .toList()));
        throw new ProblemException(new Problem(p.type(), p.title(), p.status(), p.detail(), null, errors, null));
    }

    private static void requirePresent(String field, Object value) {
        if (value == null) {
            throw ProblemException.invalidField(field, "is required for this kind of interaction");
        }
    }

    private static void requireAbsent(String field, Object value, InteractionKind kind) {
        if (value != null) {
            throw ProblemException.invalidField(field, "does not apply to a " + kind + " interaction");
        }
    }
}
