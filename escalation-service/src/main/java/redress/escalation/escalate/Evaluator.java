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
 * effective level: never down, never past MANAGER. Each firing raises the effective level before
 * the next rule is looked at, so two "one up" rules on one event go up twice, not both to the same
 * level, and no two escalations of one case share a level. A WATCH counts like a HAND_OVER: a rule
 * does not watch a case twice at one level, nor hand it to a level that already watches it (the
 * watcher takes it over with one call). Plain Java: no database.
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
     * @param satisfied each live rule's condition after this event (the state to store)
     * @param firings   the escalations to raise, in order
     * @param effective the case's effective level afterwards
     */
    public record Outcome(Map<String, Boolean> satisfied, List<Firing> firings, EscalationLevel effective) {}

    private Evaluator() {}

    /**
     * One event for one case, the step live evaluation and dry-run share: folds the event into the
     * projection, then runs the rules with the projection and the event as variables.
     *
     * @param before      whether each rule's condition held after the case's previous event
     * @param highestOpen the highest open escalation of the case (AGENT when none)
     * @param customer    the customer's other complaints ({@code complaints_90d})
     */
    public static Outcome step(
            List<LiveRule> rules,
            CaseProjection p,
            CaseEvent event,
            CasePayload payload,
            Map<String, Boolean> before,
            EscalationLevel highestOpen,
            CustomerComplaints customer) {
        Projector.apply(p, event, payload);
        EscalationLevel effective = p.levelValue().compareTo(highestOpen) >= 0 ? p.levelValue() : highestOpen;
        return evaluate(rules, RuleVariables.of(p, event, payload, customer), before, effective);
    }

    /**
     * @param before    whether each rule's condition held after the previous event (absent: false)
     * @param effective the higher of the case's projected level and its open escalations
     */
    public static Outcome evaluate(
            List<LiveRule> rules,
            Map<String, Object> variables,
            Map<String, Boolean> before,
            EscalationLevel effective) {
        Map<String, Boolean> satisfied = new LinkedHashMap<>();
        List<Firing> firings = new ArrayList<>();
        EscalationLevel level = effective;
        for (LiveRule rule : rules) {
            boolean now = rule.condition().test(variables);
            boolean was = before.getOrDefault(rule.id(), false);
            satisfied.put(rule.id(), now);
            if (now && !was) {
                Optional<EscalationLevel> to = Target.from(rule.target(), level);
                if (to.isPresent()) {
                    firings.add(new Firing(rule.id(), rule.version(), rule.reason(), level, to.get(), rule.action()));
                    level = to.get();
                }
            }
        }
        return new Outcome(satisfied, firings, level);
    }
}
