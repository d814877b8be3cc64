package redress.escalation.escalate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.escalation.history.CaseHistoryStore;
import redress.escalation.projection.CaseProjection;
import redress.escalation.projection.CaseProjectionStore;
import redress.escalation.projection.CustomerComplaints;
import redress.escalation.rule.Rules;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.Severity;
import redress.events.Subjects;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CaseClosed;
import redress.events.payload.CasePayload;
import redress.events.payload.DeadlineCorrected;
import redress.events.payload.EscalationRaised;
import redress.events.payload.EscalationResolved;
import redress.events.payload.PromiseCorrected;
import redress.support.db.DbText;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;
import redress.support.time.Clocks;

/**
 * Applies consumed events in the consumer's transaction: records each in its case's history,
 * folds it into the projection, runs the live rules, stores each rule's new state, and raises the
 * escalations that fired (row and {@code escalation.raised} through the outbox) in that same
 * transaction; a hand-over first resolves the case's watches at or below its level.
 */
@ApplicationScoped
public class Escalator {

    private final Rules rules;
    private final CaseProjectionStore projections;
    private final CaseHistoryStore caseHistory;
    private final EscalationStore escalations;
    private final EventEmitter emitter;
    private final Callers callers;
    private final Clock clock;

    public Escalator(
            Rules rules,
            CaseProjectionStore projections,
            CaseHistoryStore caseHistory,
            EscalationStore escalations,
            EventEmitter emitter,
            Callers callers,
            Clock clock) {
        this.rules = rules;
        this.projections = projections;
        this.caseHistory = caseHistory;
        this.escalations = escalations;
        this.emitter = emitter;
        this.callers = callers;
        this.clock = clock;
    }

    /** One consumed event: what it says, its record's value as it came, and the topic it came from. */
    public record Consumed(CaseEvent event, CasePayload payload, String value, String topic) {}

    /** A rule that fired: on which event, and the case as it was then. */
    private record Fired(CaseEvent cause, Evaluator.Firing firing, Briefing.Facts facts) {}

    /**
     * Applies a batch of consumed events, in order, in the caller's transaction. What each event
     * needs is read once for the whole batch (the cases' projections with their rules' edges,
     * locked; their open escalations; the live rules; the customers' other complaints), each event
     * is folded and evaluated in memory in turn, the escalations that fired are raised with
     * briefings from one read of their cases' histories and emitted in one outbox batch, and the
     * projections are written back in one statement: a handful of round trips per batch instead
     * of ten per event.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyAll(List<Consumed> consumed) {
        // A taxonomy version belongs to no case: nothing here to fold it into.
        List<Consumed> batch = consumed.stream()
                .filter(c -> !Subjects.belongsToNoCase(c.payload()))
                .toList();
        batch.forEach(c -> Subjects.requireCaseSubject(c.event(), c.payload()));
        if (batch.isEmpty()) {
            return;
        }
        // Projections, history and outbox go by JDBC; the session holds only the escalations raised,
        // and nothing read below depends on them, so it flushes once, at commit.
        Escalation.getEntityManager().setFlushMode(FlushModeType.COMMIT);
        Instant now = Clocks.now(clock);
        List<Rules.LiveRule> live = rules.live();
        caseHistory.recordAll(
                batch.stream()
                        .map(c -> new CaseHistoryStore.Recorded(c.event(), c.value(), c.topic()))
                        .toList(),
                now);
        Set<UUID> caseIds =
                batch.stream().map(c -> c.payload().caseId()).collect(Collectors.toCollection(TreeSet::new));
        Map<UUID, CaseProjection> cases = projections.lockedOrNew(caseIds);
        Map<UUID, Evaluator.Levels> open = escalations.highestOpen(caseIds);
        Set<String> customers = new HashSet<>();
        batch.forEach(c -> customers.add(c.event().customerid()));
        cases.values().forEach(p -> customers.add(p.customerId));
        customers.remove(null);
        CustomerComplaints.Known complaints = CustomerComplaints.Known.of(projections.receivedOf(customers));

        List<Fired> fired = new ArrayList<>();
        for (Consumed c : batch) {
            UUID caseId = c.payload().caseId();
            CaseProjection p = cases.get(caseId);
            Evaluator.Outcome outcome = Evaluator.step(
                    live,
                    p,
                    c.event(),
                    c.payload(),
                    p.satisfied(),
                    open.getOrDefault(caseId, Evaluator.Levels.AGENT),
                    complaints);
            complaints.received(p);
            p.satisfied(outcome.satisfied());
            for (Evaluator.Firing f : outcome.firings()) {
                fired.add(new Fired(c.event(), f, Briefing.Facts.of(p)));
                open.put(
                        caseId,
                        open.getOrDefault(caseId, Evaluator.Levels.AGENT).with(f.to(), f.action()));
            }
        }

        projections.saveAll(cases.values());

        // The briefings read the fired cases' histories in one query; each sees its case's events up
        // to the one that made the rule fire, not the batch's later ones.
        Map<UUID, List<CaseHistoryStore.Entry>> histories =
                caseHistory.ofCases(fired.stream().map(x -> x.facts().caseId()).collect(Collectors.toSet()));
        List<EventEmitter.Emission> emitted = new ArrayList<>(fired.size());
        for (Fired x : fired) {
            if (x.firing().action() == EscalationAction.HAND_OVER) {
                // The watches at or below the hand-over's level end first, their escalation.resolved
                // before its escalation.raised; one may be at that very level, and the unique index
                // admits one open escalation per case and level.
                emitted.addAll(endWatches(
                        x.facts().caseId(),
                        handedOver(x.firing().to(), x.firing().ruleId()),
                        x.cause(),
                        now));
            }
            List<CaseHistoryStore.Entry> all = histories.getOrDefault(x.facts().caseId(), List.of());
            long upTo = all.stream()
                    .filter(h -> h.event().id().equals(x.cause().id()))
                    .mapToLong(CaseHistoryStore.Entry::seq)
                    .findFirst()
                    .orElse(Long.MAX_VALUE);
            List<CaseEvent> history = all.stream()
                    .filter(h -> h.seq() <= upTo)
                    .map(CaseHistoryStore.Entry::event)
                    .toList();
            emitted.add(raise(x.facts(), x.cause(), x.firing(), Briefing.of(x.facts(), history, x.firing()), now));
        }
        emitter.emitAll(emitted);

        // The open watches that the batch's assignments and closures may end, read and locked in one
        // query rather than one (and a flush) per event. A watch resolved meanwhile (by a withdrawal
        // or an earlier event of the batch) is the same instance, and its status says so.
        Map<UUID, List<Escalation>> watches = openWatches(batch.stream()
                .map(Consumed::payload)
                .filter(p -> p instanceof CaseAssigned || p instanceof CaseClosed)
                .map(CasePayload::caseId)
                .collect(Collectors.toCollection(TreeSet::new)));
        for (Consumed c : batch) {
            if (c.payload() instanceof DeadlineCorrected d && d.withdrawnEventId() != null) {
                withdraw(
                        d.withdrawnEventId(),
                        "breach withdrawn: the " + d.kind() + " deadline "
                                + (d.metAt() == null
                                        ? "was extended in time, to " + d.dueAt()
                                        : !d.metAt().isAfter(d.dueAt())
                                                ? "was met at " + d.metAt() + ", before its due time " + d.dueAt()
                                                : "was discharged at " + d.metAt() + " (" + d.reason() + ")"),
                        c.event(),
                        now);
            } else if (c.payload() instanceof PromiseCorrected p && p.withdrawnEventId() != null) {
                withdraw(
                        p.withdrawnEventId(),
                        "miss withdrawn: the promise was kept at " + p.keptAt() + ", before its due time " + p.dueAt(),
                        c.event(),
                        now);
            } else if (c.payload() instanceof CaseAssigned a) {
                emitter.emitAll(endWatches(watches.getOrDefault(a.caseId(), List.of()), assigned(a), c.event(), now));
            } else if (c.payload() instanceof CaseClosed closed) {
                emitter.emitAll(endWatches(watches.getOrDefault(closed.caseId(), List.of()), closed(), c.event(), now));
            }
        }
    }

    /** How one open watch ends: its outcome and who ended it. */
    private record Ended(String outcome, String by) {}

    /** Which of a case's open watches an event ends, and how: null for a watch that goes on. */
    @FunctionalInterface
    private interface WatchEnding {
        Ended of(Escalation watch, EscalationLevel level);
    }

    /** The case was closed: every watch ends. */
    private WatchEnding closed() {
        return (w, level) ->
                new Ended("watch ended: the case was closed", callers.system().id());
    }

    /**
     * A {@code case.assigned}: the watch it names ends, taken over by its assignee (a watcher took the
     * case over), and so do those at or below the level it moves the case to (the case was handed over
     * or given to someone there).
     */
    private WatchEnding assigned(CaseAssigned assigned) {
        return (w, level) -> {
            if (w.id.equals(assigned.escalationId()) && assigned.assignee() != null) {
                return new Ended(
                        "taken over by " + assigned.assignee() + " at " + assigned.level(), assigned.assignee());
            }
            if (assigned.level() != null && assigned.level().compareTo(level) >= 0) {
                return new Ended(
                        "watch ended: the case went to " + assigned.level()
                                + (assigned.assignee() == null
                                        ? ", unassigned"
                                        : ", assigned to " + assigned.assignee()),
                        callers.system().id());
            }
            return null;
        };
    }

    /** A hand-over to {@code to} raised by rule {@code ruleId}: the watches at or below {@code to} end. */
    private WatchEnding handedOver(EscalationLevel to, String ruleId) {
        return (w, level) -> level.compareTo(to) <= 0
                ? new Ended(
                        "watch ended: handed over to " + to + " by rule " + ruleId,
                        callers.system().id())
                : null;
    }

    /**
     * Resolves the case's open WATCH escalations that {@code ending} ends, each with its outcome, and
     * answers their {@code escalation.resolved}, caused by {@code cause}, for the caller to emit in
     * order. An escalation raised earlier in the same batch is written first, so it is found; the
     * resolutions are written at once, so that an escalation persisted next at a watch's level (a
     * hand-over) finds it resolved (a flush writes inserts before updates, and the unique index admits
     * one open escalation per case and level). intake-service ends its watch records on the same
     * events, and on the {@code escalation.resolved}.
     */
    private List<EventEmitter.Emission> endWatches(UUID caseId, WatchEnding ending, CaseEvent cause, Instant now) {
        return endWatches(openWatches(Set.of(caseId)).getOrDefault(caseId, List.of()), ending, cause, now);
    }

    /**
     * The open watches of these cases, locked, by case; the session's escalations are written first,
     * so that one raised earlier in the batch is among them.
     */
    private static Map<UUID, List<Escalation>> openWatches(Set<UUID> caseIds) {
        if (caseIds.isEmpty()) {
            return Map.of();
        }
        Escalation.getEntityManager().flush();
        return Escalation.<Escalation>find(
                        "caseId in ?1 and action = ?2 and status <> ?3 order by id",
                        caseIds,
                        EscalationAction.WATCH.name(),
                        Escalation.RESOLVED)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list()
                .stream()
                .collect(Collectors.groupingBy(w -> w.caseId));
    }

    /** Ends those of {@code watches} (one case's open watches) that {@code ending} ends. */
    private List<EventEmitter.Emission> endWatches(
            List<Escalation> watches, WatchEnding ending, CaseEvent cause, Instant now) {
        List<EventEmitter.Emission> resolved = new ArrayList<>();
        for (Escalation w : watches) {
            if (Escalation.RESOLVED.equals(w.status)) {
                continue;
            }
            EscalationLevel level = EscalationLevel.valueOf(w.level);
            Ended ended = ending.of(w, level);
            if (ended == null) {
                continue;
            }
            w.status = Escalation.RESOLVED;
            w.resolvedBy = ended.by();
            w.resolvedAt = now;
            w.outcome = ended.outcome();
            Log.infof(
                    "case %s: watch %s at %s resolved (%s) by event %s",
                    w.caseId, w.id, w.level, ended.outcome(), cause.id());
            resolved.add(new EventEmitter.Emission(
                    callers.system(),
                    cause.customerid(),
                    new EscalationResolved(w.id, w.caseId, w.reference, level, ended.outcome()),
                    cause));
        }
        if (!resolved.isEmpty()) {
            Escalation.getEntityManager().flush();
        }
        return resolved;
    }

    /**
     * Resolves, by the system, the escalations that {@code withdrawnEventId} (a breach or a missed
     * promise) raised and that are not resolved yet, with {@code outcome}: it was withdrawn by
     * {@code cause} (a correction). An escalation raised earlier in the same batch is written first, so it is found.
     */
    private void withdraw(UUID withdrawnEventId, String outcome, CaseEvent cause, Instant now) {
        Escalation.getEntityManager().flush();
        List<Escalation> raised = Escalation.<Escalation>find(
                        "causeEventId = ?1 and status <> ?2", withdrawnEventId, Escalation.RESOLVED)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
        for (Escalation e : raised) {
            e.status = Escalation.RESOLVED;
            e.resolvedBy = callers.system().id();
            e.resolvedAt = now;
            e.outcome = outcome;
            Log.infof(
                    "case %s: escalation %s resolved, its breach (event %s) withdrawn by %s",
                    e.caseId, e.id, withdrawnEventId, cause.id());
            emitter.emit(
                    callers.system(),
                    cause.customerid(),
                    new EscalationResolved(e.id, e.caseId, e.reference, EscalationLevel.valueOf(e.level), outcome),
                    cause);
        }
    }

    /** Stores the escalation; answers its {@code escalation.raised}, for the caller to emit. */
    private EventEmitter.Emission raise(
            Briefing.Facts p, CaseEvent cause, Evaluator.Firing f, String briefing, Instant now) {
        Escalation e = new Escalation();
        e.id = UUID.randomUUID();
        e.caseId = p.caseId();
        e.reference = DbText.of(p.reference());
        e.level = f.to().name();
        e.action = f.action().name();
        e.previousLevel = f.from().name();
        e.status = Escalation.OPEN;
        e.ruleId = f.ruleId();
        e.ruleVersion = f.ruleVersion();
        e.reason = DbText.of(f.reason());
        // The briefing quotes the case's own texts, which another producer may have sent with U+0000.
        e.briefing = DbText.of(briefing);
        e.causeEventId = cause.id();
        e.raisedAt = now;
        e.persist();
        Severity severity = p.severity() == null ? null : Severity.valueOf(p.severity());
        Log.infof(
                "case %s: escalated %s → %s (%s) by rule %s v%d (event %s)",
                p.caseId(), f.from(), f.to(), f.action(), f.ruleId(), f.ruleVersion(), cause.id());
        return new EventEmitter.Emission(
                callers.system(),
                p.customerId(),
                EscalationRaised.builder()
                        .escalationId(e.id)
                        .caseId(p.caseId())
                        .reference(p.reference())
                        .level(f.to())
                        .previousLevel(f.from())
                        .severity(severity)
                        .reason(e.reason)
                        .ruleId(f.ruleId())
                        .ruleVersion(f.ruleVersion())
                        .briefing(e.briefing)
                        .action(f.action())
                        .build(),
                cause);
    }
}
