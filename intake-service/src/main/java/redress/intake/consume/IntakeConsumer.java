package redress.intake.consume;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
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
import redress.support.consume.EventConsumer;
import redress.support.identity.Callers;

/**
 * What other services tell intake about its cases. Each record is applied once (ledger), in
 * partition order; a record that cannot be read goes to the topic's {@code .dlq}.
 * <ul>
 * <li>{@code escalation.raised}: HAND_OVER (or no action): the case moves to that level, unassigned in
 *     its queue, with the briefing, and the watches at or below that level end; WATCH: the case stays
 *     with its owner, a watch at that level is recorded (issue 31).</li>
 * <li>{@code escalation.resolved}: the escalation's watch, if open, ends.</li>
 * <li>{@code followup.completed}, not satisfied: a resolved or closed case is reopened.</li>
 * <li>{@code promise.missed}: recorded on the promise and counted on the case.</li>
 * </ul>
 * A record acted on must be about the case it is keyed by (its payload's case is its subject), else
 * it is dead-lettered.
 */
@ApplicationScoped
public class IntakeConsumer {

    static final String LEDGER = "intake-service";

    private final EventConsumer consumer;
    private final Assignments assignments;
    private final CaseLifecycle lifecycle;
    private final Promises promises;
    private final Callers callers;
    private final Watches watches;

    public IntakeConsumer(
            EventConsumer consumer,
            Assignments assignments,
            CaseLifecycle lifecycle,
            Promises promises,
            Callers callers,
            Watches watches) {
        this.consumer = consumer;
        this.watches = watches;
        this.assignments = assignments;
        this.lifecycle = lifecycle;
        this.promises = promises;
        this.callers = callers;
    }

    @Incoming("case-escalations-in")
    @Blocking
    public void escalations(ConsumerRecord<String, String> record) {
        consumer.consume(LEDGER, record, this::apply);
    }

    @Incoming("case-followups-in")
    @Blocking
    public void followups(ConsumerRecord<String, String> record) {
        consumer.consume(LEDGER, record, this::apply);
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
        // Other types on these topics change nothing here.
    }
}
