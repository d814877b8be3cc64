package redress.escalation.escalate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import redress.escalation.projection.CaseProjection;
import redress.escalation.projection.CustomerComplaints;
import redress.escalation.projection.Projector;
import redress.escalation.rule.RuleVariables;
import redress.escalation.rule.Rules.LiveRule;
import redress.escalation.rule.Target;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.payload.CasePayload;

/**
 * Runs the live rules over a case's variables after one event. A rule fires when its condition
 * turns from false to true (it re-arms when false again), and only when its target is above the
 * effective level for its action ({@link Levels}): never down, never past MANAGER. A watch does not
 * hold a hand-over back: a HAND_OVER rule aimed at a level that only watches the case hands it over
 * (the agent's own request, a deadline warning), while a WATCH rule does not watch a case twice at one
 * level nor below a hand-over. Each firing raises the levels before the next rule is looked at, so two
 * "one up" rules on one event go up twice, not both to the same level, and no two escalations of one
 * case share a level. Plain Java: no database.
 */
public final class Evaluator {

    /** A rule that fired: the case goes (HAND_OVER) or is watched (WATCH) from {@code from} to {@code to}. */
    public record Firing(
            String ruleId,
            int ruleVersion,
            String reason,
            EscalationLevel from,
            EscalationLevel to,
            EscalationAction action) {

        /** A firing that hands the case over. */
        public Firing(String ruleId, int ruleVersion, String reason, EscalationLevel from, EscalationLevel to) {
            this(ruleId, ruleVersion, reason, from, to, EscalationAction.HAND_OVER);
        }
    }

    /**
     * The two levels a case is held at. {@code handOver}: where the case is owned, the higher of its
     * projected level and its open HAND_OVER escalations; a HAND_OVER rule's target is measured from it.
     * {@code watch}: the higher of that and the open WATCH escalations; a WATCH rule's target is
     * measured from it, so a rule does not watch twice at one level, nor below a hand-over. {@code watch}
     * is never below {@code handOver}. Of a case's open escalations alone (no projected level), the
     * highest open hand-over and the highest open escalation of either action.
     */
    public record Levels(EscalationLevel handOver, EscalationLevel watch) {

        /** No escalation, a case at AGENT. */
        public static final Levels AGENT = new Levels(EscalationLevel.AGENT, EscalationLevel.AGENT);

        public Levels {
            watch = max(watch, handOver);
        }

        /** The level a rule of {@code action} is measured from. */
        public EscalationLevel of(EscalationAction action) {
            return action == EscalationAction.WATCH ? watch : handOver;
        }

        /**
         * With an open escalation of {@code action} at {@code level} added: a HAND_OVER raises both
         * levels to at least {@code level} (its watches at or below it end), a WATCH the watch level only.
         */
        public Levels with(EscalationLevel level, EscalationAction action) {
            return action == EscalationAction.WATCH
                    ? new Levels(handOver, max(watch, level))
                    : new Levels(max(handOver, level), max(watch, level));
        }

        /** These open escalations' levels with the case's projected level under them. */
        public Levels above(EscalationLevel projected) {
            return new Levels(max(handOver, projected), watch);
        }

        private static EscalationLevel max(EscalationLevel a, EscalationLevel b) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }

    /**
     * @param satisfied each live rule's condition after this event (the state to store)
     * @param firings   the escalations to raise, in order
     * @param effective the case's effective levels afterwards
     */
    public record Outcome(Map<String, Boolean> satisfied, List<Firing> firings, Levels effective) {}

    private Evaluator() {}

    /**
     * One event for one case, the step live evaluation and dry-run share: folds the event into the
     * projection, then runs the rules with the projection and the event as variables.
     *
     * @param before   whether each rule's condition held after the case's previous event
     * @param open     the levels of the case's open escalations ({@link Levels#AGENT} when none)
     * @param customer the customer's other complaints ({@code complaints_90d})
     */
    public static Outcome step(
            List<LiveRule> rules,
            CaseProjection p,
            CaseEvent event,
            CasePayload payload,
            Map<String, Boolean> before,
            Levels open,
            CustomerComplaints customer) {
        Projector.apply(p, event, payload);
        return evaluate(rules, RuleVariables.of(p, event, payload, customer), before, open.above(p.levelValue()));
    }

    /**
     * @param before    whether each rule's condition held after the previous event (absent: false)
     * @param effective the case's levels: its projected level with its open escalations
     */
    public static Outcome evaluate(
            List<LiveRule> rules, Map<String, Object> variables, Map<String, Boolean> before, Levels effective) {
        Map<String, Boolean> satisfied = new LinkedHashMap<>();
        List<Firing> firings = new ArrayList<>();
        Levels levels = effective;
        for (LiveRule rule : rules) {
            boolean now = rule.condition().test(variables);
            boolean was = before.getOrDefault(rule.id(), false);
            satisfied.put(rule.id(), now);
            if (now && !was) {
                EscalationLevel from = levels.of(rule.action());
                Optional<EscalationLevel> to = Target.from(rule.target(), from);
                if (to.isPresent()) {
                    firings.add(new Firing(rule.id(), rule.version(), rule.reason(), from, to.get(), rule.action()));
                    levels = levels.with(to.get(), rule.action());
                }
            }
        }
        return new Outcome(satisfied, firings, levels);
    }
}
