package redress.escalation.rule;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import redress.events.EscalationAction;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Rules as versioned data. Every save compiles the condition first (an invalid one is refused with
 * 422 naming line and column) and adds a version; the live set is what the evaluator runs.
 */
@ApplicationScoped
public class Rules {

    /** A live rule version with its compiled condition. */
    public record LiveRule(
            String id,
            int version,
            String target,
            String reason,
            Conditions.Condition condition,
            EscalationAction action) {

        /** A rule that hands the case over, as every rule did before actions. */
        public LiveRule(String id, int version, String target, String reason, Conditions.Condition condition) {
            this(id, version, target, reason, condition, EscalationAction.HAND_OVER);
        }
    }

    /** A stored version's condition, compiled; or, when it no longer compiles, why ({@code condition} null). */
    private record Compiled(Conditions.Condition condition, String problem) {}

    private final Conditions conditions;
    private final Clock clock;
    /** Compiled conditions by rule id and version: a version never changes, so neither does its program. */
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();
    /** How many live rules were left out at the last look because their condition no longer compiles. */
    private final AtomicInteger broken = new AtomicInteger();

    public Rules(RulesConfig config, Clock clock, MeterRegistry registry) {
        this.conditions = new Conditions(config.maxIterations());
        this.clock = clock;
        Gauge.builder("redress_escalation_rules_broken", broken, AtomicInteger::get)
                .description("Enabled rules left out of evaluation because their stored condition no longer compiles")
                .register(registry);
    }

    public List<RuleVersion> current() {
        return RuleVersion.find(
                        "select v from RuleVersion v, Rule r where v.ruleId = r.id and v.version = r.currentVersion"
                                + " and r.deleted = false order by v.position, v.ruleId")
                .list();
    }

    public RuleVersion current(String id) {
        Rule r = Rule.findById(id);
        if (r == null || r.deleted) {
            throw ProblemException.notFound("rule", id);
        }
        return RuleVersion.find(id, r.currentVersion);
    }

    public List<RuleVersion> versions(String id) {
        List<RuleVersion> all = RuleVersion.of(id);
        if (all.isEmpty()) {
            throw ProblemException.notFound("rule", id);
        }
        return all;
    }

    @Transactional
    public RuleVersion create(RuleBody body, String actor) {
        if (body.id() == null) {
            throw ProblemException.invalidField("id", "must not be null");
        }
        compile(body.condition());
        if (Rule.findById(body.id()) != null) {
            throw ProblemException.conflict(
                    "rule-exists", "rule " + body.id() + " exists (deleted rules keep their id)");
        }
        Rule r = new Rule();
        r.id = body.id();
        r.currentVersion = 1;
        r.persist();
        return save(r, body, actor, false);
    }

    @Transactional
    public RuleVersion update(String id, RuleBody body, String actor) {
        if (body.id() != null && !body.id().equals(id)) {
            throw ProblemException.invalidField("id", "must be " + id + " or left out");
        }
        compile(body.condition());
        Rule r = locked(id);
        r.currentVersion++;
        return save(r, body, actor, false);
    }

    @Transactional
    public RuleVersion delete(String id, String actor) {
        Rule r = locked(id);
        RuleVersion last = RuleVersion.find(id, r.currentVersion);
        r.currentVersion++;
        r.deleted = true;
        return save(
                r,
                new RuleBody(
                        id, last.name, last.condition, last.target, last.position, false, last.reason, last.action),
                actor,
                true);
    }

    /**
     * The live rules in evaluation order, compiled. A stored condition that no longer compiles (a
     * variable a new version dropped, a CEL upgrade) is a configuration fault, not a property of the
     * event: that rule is left out, with an error in the log, the gauge
     * {@code redress_escalation_rules_broken} and its {@code problem} in {@code GET /rules}; the other
     * rules go on (PITFALLS 21). Before, every case event failed and was dead-lettered.
     */
    public List<LiveRule> live() {
        List<LiveRule> live = new ArrayList<>();
        int left = 0;
        for (RuleVersion v : RuleVersion.live()) {
            Compiled c = compiled(v);
            if (c.condition() == null) {
                left++;
            } else {
                live.add(new LiveRule(v.ruleId, v.version, v.target, v.reason, c.condition(), action(v)));
            }
        }
        broken.set(left);
        return live;
    }

    /** Why the version's stored condition no longer compiles, or null when it does. */
    public String problem(RuleVersion v) {
        return compiled(v).problem();
    }

    /**
     * The live rules with a draft swapped in: replacing the rule of the draft's id, or added, in
     * evaluation order. The draft takes part whether or not it is enabled (it is what is tried).
     *
     * @param version the version the draft is reported with: the stored one when it is unchanged, 0 for a draft
     */
    public List<LiveRule> liveWith(RuleBody draft, String id, int version) {
        Conditions.Condition condition = compile(draft.condition());
        int position = draft.position() == null ? 100 : draft.position();
        List<RuleVersion> versions =
                RuleVersion.live().stream().filter(v -> !v.ruleId.equals(id)).toList();
        List<LiveRule> all = new ArrayList<>();
        boolean added = false;
        for (RuleVersion v : versions) {
            if (!added && (position < v.position || position == v.position && id.compareTo(v.ruleId) < 0)) {
                all.add(new LiveRule(
                        id, version, draft.target(), draft.reason().trim(), condition, draft.actionOrDefault()));
                added = true;
            }
            Compiled c = compiled(v);
            if (c.condition() != null) {
                all.add(new LiveRule(v.ruleId, v.version, v.target, v.reason, c.condition(), action(v)));
            }
        }
        if (!added) {
            all.add(new LiveRule(
                    id, version, draft.target(), draft.reason().trim(), condition, draft.actionOrDefault()));
        }
        return all;
    }

    /** A stored version's action; a version saved before actions existed hands over. */
    private static EscalationAction action(RuleVersion v) {
        return v.action == null ? EscalationAction.HAND_OVER : EscalationAction.valueOf(v.action);
    }

    private Compiled compiled(RuleVersion v) {
        return compiled.computeIfAbsent(v.ruleId + "/" + v.version, k -> compileStored(v));
    }

    private Compiled compileStored(RuleVersion v) {
        try {
            return new Compiled(conditions.compile(v.condition), null);
        } catch (Conditions.Invalid e) {
            // Saved conditions compiled when they were saved; one that no longer does (the variables
            // changed) is a deployment error that must not pass silently, nor stop the other rules.
            String problem = "the stored condition no longer compiles: " + e.getMessage();
            Log.errorf("rule %s v%d is left out of evaluation: %s", v.ruleId, v.version, problem);
            return new Compiled(null, problem);
        }
    }

    private Rule locked(String id) {
        Rule r = Rule.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (r == null || r.deleted) {
            throw ProblemException.notFound("rule", id);
        }
        return r;
    }

    private RuleVersion save(Rule r, RuleBody body, String actor, boolean deleted) {
        RuleVersion v = new RuleVersion();
        v.ruleId = r.id;
        v.version = r.currentVersion;
        v.name = body.name().trim();
        v.condition = body.condition();
        v.target = body.target();
        v.position = body.position() == null ? 100 : body.position();
        v.enabled = body.enabled() == null || body.enabled();
        v.reason = body.reason().trim();
        v.action = body.actionOrDefault().name();
        v.deleted = deleted;
        v.savedBy = actor;
        v.savedAt = Clocks.now(clock);
        v.persist();
        return v;
    }

    private Conditions.Condition compile(String condition) {
        try {
            return conditions.compile(condition);
        } catch (Conditions.Invalid e) {
            Conditions.Issue first = e.issues().get(0);
            Problem p = Problem.of(
                    422,
                    "invalid-condition",
                    "Invalid condition",
                    "condition " + first.line() + ":" + first.column() + ": " + first.message());
            throw new ProblemException(new Problem(
                    p.type(),
                    p.title(),
                    p.status(),
                    p.detail(),
                    null,
                    e.issues().stream()
                            .map(i -> new Problem.FieldError("condition", i.toString()))
                            .toList(),
                    null));
        }
    }
}
