package redress.escalation.escalate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import redress.escalation.escalate.DefaultRulesTest.Replay;
import redress.escalation.projection.CustomerComplaints;
import redress.escalation.rule.Conditions;
import redress.escalation.rule.RuleVariables;
import redress.escalation.rule.Rules.LiveRule;
import redress.events.Channel;
import redress.events.Direction;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.InteractionRecorded.Coaching;
import redress.events.payload.InteractionRecorded.Finding;

/**
 * Issue 31: {@code coaching_findings}, the language coaching findings on a case's outbound texts so
 * far, for a rule that wants it; no default rule uses it.
 */
class CoachingFindingsTest {

    static InteractionRecorded reply(int findings) {
        List<Finding> fs = IntStream.range(0, findings)
                .mapToObj(n -> new Finding("blame-customer", "BLAME", "your fault", "Say what you will do", n, n + 10))
                .toList();
        return new InteractionRecorded(
                DefaultRulesTest.CASE,
                "CMP-2026-000017",
                UUID.randomUUID(),
                InteractionKind.CUSTOMER_CONTACT,
                "your fault",
                Direction.OUTBOUND,
                Channel.EMAIL,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new Coaching(1, "en", fs, List.of()));
    }

    static Object variable(Replay r, InteractionRecorded last) {
        return RuleVariables.of(r.p, DefaultRulesTest.fromAgent(last, r.time), last, CustomerComplaints.NONE)
                .get("coaching_findings");
    }

    @Test
    void findingsAreCountedOverTheCasesTextsAndNoDefaultRuleFiresOnThem() {
        Replay r = new Replay().on(DefaultRulesTest.received(Severity.MEDIUM));
        InteractionRecorded note = DefaultRulesTest.did(InteractionKind.NOTE);
        assertEquals(0L, variable(r, note));
        r.on(reply(2)).on(note).on(reply(0)).on(reply(1));
        assertEquals(3L, variable(r, note), "two, none on a note, none on a clean reply, one");
        assertEquals(List.of(), r.raised, "coaching is for the agent, not a reason to take the case");
    }

    @Test
    void aRuleOfOneselfMayUseThem() throws Exception {
        LiveRule custom = new LiveRule(
                "coaching-watch",
                1,
                "TEAM_LEAD",
                "Many coaching findings",
                new Conditions(1000).compile("coaching_findings >= 3 && event_type == \"interaction.recorded\""));
        Replay r = new Replay().on(DefaultRulesTest.received(Severity.MEDIUM)).on(reply(2));
        InteractionRecorded third = reply(1);
        r.on(third);
        Evaluator.Outcome o = Evaluator.evaluate(
                List.of(custom),
                RuleVariables.of(r.p, DefaultRulesTest.fromAgent(third, r.time), third, CustomerComplaints.NONE),
                Map.of(),
                Evaluator.Levels.AGENT);
        assertEquals(
                List.of("coaching-watch→TEAM_LEAD"),
                o.firings().stream().map(f -> f.ruleId() + "→" + f.to()).toList());
    }
}
