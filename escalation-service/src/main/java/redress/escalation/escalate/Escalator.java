package redress.escalation.escalate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.escalation.history.CaseHistory;
import redress.escalation.projection.CaseProjection;
import redress.escalation.rule.Rules;
import redress.events.CaseEvent;
import redress.events.Severity;
import redress.events.payload.CasePayload;
import redress.events.payload.EscalationRaised;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;
import redress.support.time.Clocks;

/**
 * Applies one consumed event in the consumer's transaction: records it in the case's history,
 * folds it into the projection, runs the live rules, stores each rule's new state, and raises the
 * escalations that fired (row and {@code escalation.raised} through the outbox) in that same
 * transaction.
 */
@ApplicationScoped
public class Escalator {

    private final Rules rules;
    private final EventEmitter emitter;
    private final Callers callers;
    private final Clock clock;

    public Escalator(Rules rules, EventEmitter emitter, Callers callers, Clock clock) {
        this.rules = rules;
        this.emitter = emitter;
        this.callers = callers;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CaseEvent event, CasePayload payload, String topic) {
        UUID caseId = payload.caseId();
        if (caseId == null || !caseId.toString().equals(event.subject())) {
            throw new IllegalArgumentException("event " + event.id() + " names case " + caseId + " but its subject is "
                    + event.subject());
        }
        Instant now = Clocks.now(clock);
        CaseHistory.record(event, topic, now);
        CaseProjection p = CaseProjection.lockedOrNew(caseId);

        Map<String, RuleState> states = RuleState.ofCase(caseId).stream()
                .collect(Collectors.toMap(s -> s.ruleId, Function.identity()));
        Map<String, Boolean> before = states.values().stream().collect(Collectors.toMap(s -> s.ruleId, s -> s.satisfied));
        Evaluator.Outcome outcome = Evaluator.step(rules.live(), p, event, payload, before, Escalation.highestOpen(caseId),
                CaseProjection::othersReceived);

        outcome.satisfied().forEach((ruleId, satisfied) -> {
            RuleState s = states.get(ruleId);
            if (s == null) {
                s = new RuleState();
                s.caseId = caseId;
                s.ruleId = ruleId;
                s.satisfied = satisfied;
                s.changedAt = now;
                s.persist();
            } else if (s.satisfied != satisfied) {
                s.satisfied = satisfied;
                s.changedAt = now;
            }
        });
        if (outcome.firings().isEmpty()) {
            return;
        }
        List<CaseEvent> history = CaseHistory.ofCase(caseId);
        for (Evaluator.Firing f : outcome.firings()) {
            raise(p, event, f, Briefing.of(p, history, f), now);
        }
    }

    private void raise(CaseProjection p, CaseEvent cause, Evaluator.Firing f, String briefing, Instant now) {
        Escalation e = new Escalation();
        e.id = UUID.randomUUID();
        e.caseId = p.caseId;
        e.reference = p.reference;
        e.level = f.to().name();
        e.previousLevel = f.from().name();
        e.status = Escalation.OPEN;
        e.ruleId = f.ruleId();
        e.ruleVersion = f.ruleVersion();
        e.reason = f.reason();
        e.briefing = briefing;
        e.causeEventId = cause.id();
        e.raisedAt = now;
        e.persist();
        Severity severity = p.severity == null ? null : Severity.valueOf(p.severity);
        emitter.emit(callers.system(), p.customerId, new EscalationRaised(e.id, p.caseId, p.reference, f.to(), f.from(),
                severity, f.reason(), f.ruleId(), f.ruleVersion(), briefing, null), cause);
        Log.infof("case %s: escalated %s → %s by rule %s v%d (event %s)", p.caseId, f.from(), f.to(), f.ruleId(),
                f.ruleVersion(), cause.id());
    }
}
