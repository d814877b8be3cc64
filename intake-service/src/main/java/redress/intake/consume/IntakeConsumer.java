package redress.intake.consume;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EventCodec;
import redress.events.Subjects;
import redress.events.payload.CasePayload;
import redress.events.payload.EscalationRaised;
import redress.events.payload.EscalationResolved;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.PromiseMissed;
import redress.intake.assignment.Assignments;
import redress.intake.complaint.Complaint;
import redress.intake.lifecycle.CaseLifecycle;
import redress.intake.promise.Promises;
import redress.intake.watch.Watches;
import redress.support.consume.BatchConsumer;
import redress.support.identity.Callers;
import redress.support.ledger.ProcessedEvents;

/**
 * What other services tell intake about its cases, a poll's worth of records at a time
 * ({@link BatchConsumer}: in slices, each one transaction). Each event of a type intake acts on is
 * claimed in the ledger and applied once, in partition order; a record that cannot be read or
 * applied goes to its topic's {@code .dlq} (the slice is split to find it).
 * <ul>
 * <li>{@code escalation.raised}: HAND_OVER (or no action): the case moves to that level, unassigned in
 *     its queue, with the briefing, and the watches at or below that level end; WATCH: the case stays
 *     with its owner, a watch at that level is recorded (issue 31).</li>
 * <li>{@code escalation.resolved}: the escalation's watch, if open, ends.</li>
 * <li>{@code followup.completed}, not satisfied: a resolved or closed case is reopened.</li>
 * <li>{@code promise.missed}: recorded on the promise and counted on the case.</li>
 * </ul>
 * Every other type on these topics (most of {@code case.followups}: deadlines scheduled, met,
 * warned, reminders) changes nothing here, so it costs no transaction and no ledger row: a slice
 * of only such records is read and acknowledged. A record acted on must be about the case it is
 * keyed by (its payload's case is its subject), else it is dead-lettered.
 */
@ApplicationScoped
public class IntakeConsumer {

    static final String LEDGER = "intake-service";

    private record Known(CaseEvent event, CasePayload payload) {}

    private final BatchConsumer consumer;
    private final ProcessedEvents ledger;
    private final EntityManager em;
    private final Assignments assignments;
    private final CaseLifecycle lifecycle;
    private final Promises promises;
    private final Callers callers;
    private final Watches watches;

    public IntakeConsumer(
            BatchConsumer consumer,
            ProcessedEvents ledger,
            EntityManager em,
            Assignments assignments,
            CaseLifecycle lifecycle,
            Promises promises,
            Callers callers,
            Watches watches) {
        this.consumer = consumer;
        this.ledger = ledger;
        this.em = em;
        this.watches = watches;
        this.assignments = assignments;
        this.lifecycle = lifecycle;
        this.promises = promises;
        this.callers = callers;
    }

    @Incoming("case-escalations-in")
    @Blocking
    public void escalations(ConsumerRecords<String, String> records) {
        consume(records);
    }

    @Incoming("case-followups-in")
    @Blocking
    public void followups(ConsumerRecords<String, String> records) {
        consume(records);
    }

    /** The types intake acts on; the ledger records these alone. */
    static boolean actsOn(CasePayload payload) {
        return payload instanceof EscalationRaised
                || payload instanceof EscalationResolved
                || payload instanceof FollowupCompleted
                || payload instanceof PromiseMissed;
    }

    private void consume(ConsumerRecords<String, String> records) {
        consumer.consume(records, batch -> {
            List<Known> known = new ArrayList<>(batch.size());
            for (BatchConsumer.Consumed c : batch) {
                EventCodec.payload(c.event())
                        .filter(IntakeConsumer::actsOn)
                        .ifPresent(p -> known.add(new Known(c.event(), p)));
            }
            if (!known.isEmpty()) {
                QuarkusTransaction.requiringNew().run(() -> apply(known));
            }
        });
    }

    /** One slice's events that intake acts on, in the caller's transaction. */
    private void apply(List<Known> known) {
        // An event delivered again (or twice in this slice) is claimed once, and applied only then.
        List<Known> fresh = ledger.fresh(LEDGER, known, Known::event);
        if (fresh.isEmpty()) {
            return;
        }
        Set<UUID> cases = new TreeSet<>();
        for (Known k : fresh) {
            UUID caseId = k.payload().caseId();
            if (caseId != null && caseId.toString().equals(k.event().subject())) {
                cases.add(caseId); // one that names another case fails below, and alone
            }
        }
        // The slice's cases are locked in one statement and in id order, so that two channels'
        // slices (and a request locking one case) cannot each hold a case the other waits for.
        Complaint.lockAll(cases);
        for (Known k : fresh) {
            apply(k.event(), k.payload());
            // Each event starts from the database as the previous one left it, as it did in a
            // transaction of its own: what the session holds may be stale after a native statement.
            em.flush();
            em.clear();
        }
    }

    void apply(CaseEvent event, CasePayload payload) {
        if (payload instanceof EscalationRaised e) {
            Complaint c = Complaint.lockedForUpdate(Subjects.requireCaseSubject(event, e));
            if (e.effectiveAction() == EscalationAction.WATCH) {
                watches.watch(c, e, event.time());
            } else {
                assignments.escalate(c, e.level(), e.briefing(), e.escalationId(), callers.system(), event);
            }
        } else if (payload instanceof EscalationResolved r && watches.isWatch(r.escalationId())) {
            // Only a watch's resolution is acted on; other resolutions change nothing here, as before.
            Complaint c = Complaint.lockedForUpdate(Subjects.requireCaseSubject(event, r));
            watches.resolved(r, c, event.actorid() == null ? callers.system().id() : event.actorid(), event.time());
        } else if (payload instanceof FollowupCompleted f && Boolean.FALSE.equals(f.satisfied())) {
            Complaint c = Complaint.lockedForUpdate(Subjects.requireCaseSubject(event, f));
            String reason = "satisfaction follow-up: customer not satisfied"
                    + (f.feedback() == null || f.feedback().isBlank()
                            ? ""
                            : " (" + f.feedback().trim() + ")");
            lifecycle.reopenIfSettled(c, reason, f.followupId(), callers.system(), event);
        } else if (payload instanceof PromiseMissed m) {
            promises.recordMissed(Complaint.lockedForUpdate(Subjects.requireCaseSubject(event, m)), m.promiseId());
        }
    }
}
