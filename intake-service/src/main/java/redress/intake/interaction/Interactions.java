package redress.intake.interaction;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.InteractionKind;
import redress.events.PromiseStatus;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseMade;
import redress.support.outbox.EventEmitter;
import redress.intake.complaint.Complaint;
import redress.intake.lifecycle.CaseLifecycle;
import redress.intake.promise.Promise;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/** Records what happened on a case, and what follows from it (acknowledgement, promise, start of work). */
@ApplicationScoped
public class Interactions {

    private final EventEmitter events;
    private final CaseLifecycle lifecycle;
    private final Clock clock;

    public Interactions(EventEmitter events, CaseLifecycle lifecycle, Clock clock) {
        this.events = events;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    @Transactional
    public InteractionView record(UUID caseId, RecordInteraction r, Actor actor) {
        Instant now = Clocks.now(clock);
        checkKindFields(r, now);
        Complaint c = Complaint.lockedForUpdate(caseId);
        c.checkTakesInteractions();

        Interaction i = new Interaction();
        i.id = UUID.randomUUID();
        i.complaintId = c.id;
        i.kind = r.kind();
        i.text = r.text().trim();
        i.direction = r.direction();
        i.channel = r.channel();
        i.tone = r.tone();
        i.actorType = actor.type();
        i.actorId = actor.id();
        i.occurredAt = now;
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
            p.madeAt = now;
            i.promiseId = p.id;
        }
        i.persist();
        if (p != null) {
            p.persist();
        }
        boolean firstAcknowledgement = c.interactionRecorded(i.kind, now);

        CaseEvent recorded = events.emit(actor, c.customerId, new InteractionRecorded(c.id, c.reference, i.id, i.kind, i.text,
                i.direction, i.channel, i.tone, i.promiseId, p == null ? null : p.dueAt, now), null);
        if (p != null) {
            events.emit(actor, c.customerId, new PromiseMade(c.id, c.reference, p.id, i.id, p.text, p.dueAt), recorded);
        }
        if (firstAcknowledgement) {
            events.emit(actor, c.customerId, new CaseAcknowledged(c.id, c.reference, i.id, now), recorded);
        }
        lifecycle.startWorkIfWaiting(c, actor, recorded);
        return InteractionView.of(i, p == null ? null : p.dueAt);
    }

    public List<InteractionView> list(UUID caseId) {
        Complaint.existing(caseId);
        Map<UUID, Instant> dueByPromise = Promise.ofCase(caseId).stream()
                .collect(Collectors.toMap(p -> p.id, p -> p.dueAt, (a, b) -> a));
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
