package redress.escalation.escalate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.escalation.history.CaseHistoryStore;
import redress.escalation.projection.CaseProjection;
import redress.escalation.projection.CaseProjectionStore;
import redress.escalation.projection.CustomerComplaints;
import redress.escalation.rule.Rules.LiveRule;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.payload.CasePayload;
import redress.support.paging.Cursor;
import redress.support.problem.ProblemException;

/**
 * Replays the stored history, case by case in (time, id) order, through {@link Evaluator#step}, the
 * step live evaluation runs, starting from empty projections and rule states, and answers which
 * escalations the given rules would have raised. It reads and writes nothing else: projections,
 * rule states and escalations exist only in memory, nothing is emitted.
 */
@ApplicationScoped
public class DryRun {

    public static final int DEFAULT_MAX_EVENTS = 100_000;
    public static final int MAX_MAX_EVENTS = 1_000_000;
    /** History rows read per query. */
    public static final int PAGE = 1_000;

    /** One escalation the rules would have raised, at the time of the event that triggered it. */
    public record Would(
            UUID caseId,
            String reference,
            EscalationLevel level,
            EscalationLevel previousLevel,
            EscalationAction action,
            String ruleId,
            Integer ruleVersion,
            String reason,
            Instant at,
            UUID eventId,
            int index) {

        /** Only a place in the order of escalations, as a cursor names it. */
        static Would position(Instant at, UUID eventId, int index) {
            return new Would(null, null, null, null, null, null, null, null, at, eventId, index);
        }
    }

    /**
     * @param from      the time of the first event replayed (null when none)
     * @param to        the time of the last event replayed
     * @param truncated whether {@code maxEvents} stopped the replay before the end of the history
     * @param next      the cursor of the next page of escalations, or null
     */
    public record Answer(
            Instant from,
            Instant to,
            long events,
            long cases,
            boolean truncated,
            int maxEvents,
            List<Would> escalations,
            String next,
            int limit) {}

    private static final Comparator<Would> ORDER = Comparator.comparing(Would::at)
            .thenComparing(w -> w.eventId().toString())
            .thenComparingInt(Would::index);

    private final CaseProjectionStore projections;
    private final CaseHistoryStore history;

    public DryRun(CaseProjectionStore projections, CaseHistoryStore history) {
        this.projections = projections;
        this.history = history;
    }

    @Transactional
    public Answer run(List<LiveRule> rules, int maxEvents, String filters, String after, int limit) {
        return run(rules, maxEvents, filters, after, limit, PAGE);
    }

    /**
     * As {@link #run(List, int, String, String, int)}, reading the history {@code pageSize} rows
     * at a time. The history is paged by key ({@link CaseHistoryStore#after}), not by offset: the replay
     * runs under READ COMMITTED while events are being recorded, and each page must start right
     * after the last row replayed, whatever was added or removed before it meanwhile, so that no
     * stored event is replayed twice or left out.
     */
    @Transactional
    public Answer run(List<LiveRule> rules, int maxEvents, String filters, String after, int limit, int pageSize) {
        if (maxEvents < 1 || maxEvents > MAX_MAX_EVENTS) {
            throw ProblemException.invalidField("maxEvents", "must be between 1 and " + MAX_MAX_EVENTS);
        }
        String allFilters = filters + "|maxEvents=" + maxEvents;
        Would cursor = null;
        if (after != null) {
            List<String> key = Cursor.decode(after, allFilters, 3);
            try {
                cursor = Would.position(
                        Instant.parse(key.get(0)), UUID.fromString(key.get(1)), Integer.parseInt(key.get(2)));
            } catch (RuntimeException e) {
                throw ProblemException.invalidField(Cursor.PARAM, "is not a cursor this service issued");
            }
        }

        List<Would> all = new ArrayList<>();
        Instant from = null;
        Instant to = null;
        long events = 0;
        long cases = 0;
        boolean truncated = false;
        UUID caseId = null;
        CaseProjection p = null;
        Map<String, Boolean> satisfied = new HashMap<>();
        Evaluator.Levels open = Evaluator.Levels.AGENT;
        // The customer's other cases are counted as live evaluation counts them, from the cases this
        // service has consumed; read once per customer for the whole replay.
        CustomerComplaints customers = CustomerComplaints.Known.loading(projections::receivedOf);
        CaseHistoryStore.Key position = null;
        replay:
        while (true) {
            List<CaseHistoryStore.Stored> page = history.after(position, pageSize);
            for (CaseHistoryStore.Stored h : page) {
                if (events == maxEvents) {
                    truncated = true;
                    break replay;
                }
                events++;
                position = h.key();
                CaseEvent event = EventCodec.decode(new String(h.envelope(), StandardCharsets.UTF_8));
                CasePayload payload = EventCodec.payload(event).orElse(null);
                if (payload == null) {
                    continue;
                }
                if (!position.caseId().equals(caseId)) {
                    caseId = position.caseId();
                    p = CaseProjection.create(caseId);
                    satisfied = new HashMap<>();
                    open = Evaluator.Levels.AGENT;
                    cases++;
                }
                Instant time = position.time();
                from = from == null || time.isBefore(from) ? time : from;
                to = to == null || time.isAfter(to) ? time : to;
                Evaluator.Outcome outcome = Evaluator.step(rules, p, event, payload, satisfied, open, customers);
                satisfied = new HashMap<>(outcome.satisfied());
                int index = 0;
                for (Evaluator.Firing f : outcome.firings()) {
                    all.add(new Would(
                            caseId,
                            p.reference,
                            f.to(),
                            f.from(),
                            f.action(),
                            f.ruleId(),
                            f.ruleVersion() == 0 ? null : f.ruleVersion(),
                            f.reason(),
                            event.time(),
                            event.id(),
                            index++));
                    open = open.with(f.to(), f.action());
                }
            }
            if (page.size() < pageSize) {
                break;
            }
        }

        all.sort(ORDER);
        Would c = cursor;
        List<Would> rest = c == null
                ? all
                : all.stream().filter(w -> ORDER.compare(w, c) > 0).toList();
        String next = null;
        List<Would> items = rest;
        if (rest.size() > limit) {
            items = List.copyOf(rest.subList(0, limit));
            Would last = items.get(limit - 1);
            next = Cursor.encode(
                    allFilters, last.at().toString(), last.eventId().toString(), String.valueOf(last.index()));
        }
        return new Answer(from, to, events, cases, truncated, maxEvents, items, next, limit);
    }
}
