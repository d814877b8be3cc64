package redress.escalation.escalate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import redress.escalation.projection.CaseProjection;
import redress.escalation.projection.CustomerComplaints;
import redress.escalation.rule.Conditions;
import redress.escalation.rule.RuleVariables;
import redress.escalation.rule.Rules.LiveRule;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.payload.AbuseReportAcknowledged;
import redress.events.payload.AbuseReported;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReopened;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.CustomerErased;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineWarning;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseMissed;
import redress.events.payload.VulnerabilityChanged;

/**
 * The default rules exactly as the migration installs them, run through the projection and the
 * evaluator the consumer uses, one case at a time: each rule firing and not firing, re-arming,
 * the level cap, never down, two quick triggers, and a demand for a manager alone.
 */
class DefaultRulesTest {

    static final UUID CASE = UUID.fromString("00000000-0000-0000-0000-000000000017");
    /** The migrations that install default rules, in the order Flyway applies them. */
    static final List<String> MIGRATIONS = List.of(
            "V2__default_rules.sql",
            "V4__deadline_and_repeat_rules.sql",
            "V9__vulnerable_customers.sql",
            "V10__escalation_actions.sql",
            "V12__threatening_tone.sql");

    static final List<LiveRule> RULES = defaultRules();
    static final Instant RECEIVED = Instant.parse("2026-11-02T09:00:00Z");

    /**
     * The rule rows of the migrations, the highest version of each, in the order the service runs
     * them (position, then id): one a line, CEL strings in double quotes, the action (when the row
     * names one) after the reason.
     */
    static List<LiveRule> defaultRules() {
        StringBuilder all = new StringBuilder();
        for (String migration : MIGRATIONS) {
            try (InputStream in = DefaultRulesTest.class.getResourceAsStream("/db/migration/" + migration)) {
                if (in == null) {
                    throw new IllegalStateException("no migration " + migration);
                }
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .append('\n');
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        String sql = all.toString();
        Conditions conditions = new Conditions(1000);
        Matcher m = Pattern.compile(
                        "\\('([a-z0-9-]+)', (\\d+), '[^']*', '([^']*)', '([A-Z_]+)', (\\d+), (true|false), '([^']*)'"
                                + "(?:, '(WATCH|HAND_OVER)')?")
                .matcher(sql);
        Map<String, LiveRule> latest = new HashMap<>();
        Map<String, Integer> positions = new HashMap<>();
        while (m.find()) {
            int version = Integer.parseInt(m.group(2));
            LiveRule before = latest.get(m.group(1));
            if (before != null && before.version() >= version) {
                continue;
            }
            positions.put(m.group(1), Integer.parseInt(m.group(5)));
            try {
                latest.put(
                        m.group(1),
                        new LiveRule(
                                m.group(1),
                                version,
                                m.group(4),
                                m.group(7),
                                conditions.compile(m.group(3)),
                                m.group(8) == null
                                        ? EscalationAction.HAND_OVER
                                        : EscalationAction.valueOf(m.group(8))));
            } catch (Conditions.Invalid e) {
                throw new AssertionError("default rule " + m.group(1) + " does not compile: " + e.getMessage());
            }
        }
        List<LiveRule> rules = new ArrayList<>(latest.values());
        rules.sort(java.util.Comparator.comparing((LiveRule r) -> positions.get(r.id()))
                .thenComparing(LiveRule::id));
        return rules;
    }

    /** One case replayed through projection and rules, as the Escalator does, without a database. */
    static final class Replay {
        final CaseProjection p = CaseProjection.create(CASE);
        final Map<String, Boolean> states = new HashMap<>();
        final List<String> raised = new ArrayList<>();
        /** Each firing's rule and action, in order: "tone-rising WATCH". */
        final List<String> actions = new ArrayList<>();
        /** When the customer's other complaints were received (this service's other case projections). */
        final List<Instant> others = new ArrayList<>();

        Evaluator.Levels open = Evaluator.Levels.AGENT;
        Instant time = RECEIVED;

        /** The customer's other complaints, received this many days before this one. */
        Replay otherComplaintsDaysBefore(long... days) {
            for (long d : days) {
                others.add(RECEIVED.minus(Duration.ofDays(d)));
            }
            return this;
        }

        Replay on(CasePayload payload) {
            time = time.plusSeconds(60);
            CaseEvent e = fromAgent(payload, time);
            CustomerComplaints customer = (customerId, caseId, after, upTo) -> {
                assertEquals("C-1", customerId);
                assertEquals(CASE, caseId);
                return othersBetween(after, upTo);
            };
            Evaluator.Outcome o = Evaluator.step(RULES, p, e, payload, states, open, customer);
            states.putAll(o.satisfied());
            for (Evaluator.Firing f : o.firings()) {
                raised.add(f.ruleId() + "→" + f.to());
                actions.add(f.ruleId() + " " + f.action());
                assertTrue(f.to().compareTo(f.from()) > 0, "never down: " + f);
            }
            open = o.effective();
            return this;
        }

        /** How many of the customer's other complaints were received after {@code after}, up to {@code upTo}. */
        long othersBetween(Instant after, Instant upTo) {
            return others.stream()
                    .filter(t -> t.isAfter(after) && !t.isAfter(upTo))
                    .count();
        }
    }

    /** The payload as an agent's event of customer C-1, at {@code time}. */
    static CaseEvent fromAgent(CasePayload payload, Instant time) {
        return CaseEvent.create("/intake-service", new Actor(ActorType.AGENT, "ana"), "C-1", payload, null, null, time);
    }

    static ComplaintReceived received(Severity s) {
        return ComplaintReceived.builder()
                .caseId(CASE)
                .reference("CMP-2026-000017")
                .channel(Channel.EMAIL)
                .category("billing")
                .product("card")
                .summary("Charged twice")
                .severity(s)
                .level(EscalationLevel.AGENT)
                .status(CaseStatus.OPEN)
                .regulatoryProfile("DEFAULT")
                .receivedAt(RECEIVED)
                .registeredAt(RECEIVED)
                .build();
    }

    static InteractionRecorded did(InteractionKind kind) {
        return new InteractionRecorded(
                CASE,
                "CMP-2026-000017",
                UUID.randomUUID(),
                kind,
                kind + " text",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static InteractionRecorded contact(CustomerTone tone) {
        return new InteractionRecorded(
                CASE,
                "CMP-2026-000017",
                UUID.randomUUID(),
                InteractionKind.CUSTOMER_CONTACT,
                "call",
                Direction.INBOUND,
                Channel.PHONE,
                tone,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static CaseAssigned assigned(EscalationLevel level) {
        return new CaseAssigned(CASE, "CMP-2026-000017", "sam", level, Severity.MEDIUM, null, null, "briefing", null);
    }

    static PromiseMissed missed() {
        return new PromiseMissed(CASE, "CMP-2026-000017", UUID.randomUUID(), Instant.parse("2026-11-02T08:00:00Z"));
    }

    static FollowupCompleted followup(Boolean satisfied) {
        return new FollowupCompleted(UUID.randomUUID(), CASE, "CMP-2026-000017", "SATISFACTION", satisfied, 2, "meh");
    }

    static DeadlineWarning warning(String kind) {
        return new DeadlineWarning(
                UUID.randomUUID(), CASE, "CMP-2026-000017", kind, "UK_FCA_DISP", RECEIVED.plus(Duration.ofDays(56)));
    }

    static DeadlineBreached breached(String kind) {
        return new DeadlineBreached(
                UUID.randomUUID(), CASE, "CMP-2026-000017", kind, "UK_FCA_DISP", RECEIVED.plus(Duration.ofDays(56)));
    }

    static VulnerabilityChanged vulnerable(boolean vulnerable) {
        return new VulnerabilityChanged(CASE, "CMP-2026-000017", vulnerable);
    }

    static CustomerErased erased() {
        return new CustomerErased(CASE, "CMP-2026-000017", "C-1", "C-1:1", "REQUEST", "GDPR Art. 17", RECEIVED);
    }

    static CaseReopened reopened() {
        return new CaseReopened(CASE, "CMP-2026-000017", CaseStatus.RESOLVED, "not fixed", null);
    }

    static Arguments scenario(String name, List<String> expected, CasePayload... events) {
        return Arguments.of(name, List.of(events), expected);
    }

    static Stream<Arguments> scenarios() {
        Function<String, List<String>> one = List::of;
        List<String> none = List.of();
        return Stream.of(
                scenario(
                        "critical severity goes to SUPERVISOR",
                        one.apply("critical-severity→SUPERVISOR"),
                        received(Severity.CRITICAL)),
                scenario("high severity alone does not", none, received(Severity.HIGH)),
                scenario(
                        "a condition that stays true fires once",
                        one.apply("critical-severity→SUPERVISOR"),
                        received(Severity.CRITICAL),
                        did(InteractionKind.NOTE),
                        did(InteractionKind.APOLOGY)),
                scenario(
                        "conversation ended after a warning goes to SUPERVISOR",
                        one.apply("conversation-ended-after-warning→SUPERVISOR"),
                        received(Severity.MEDIUM),
                        did(InteractionKind.BOUNDARY_WARNING),
                        did(InteractionKind.CONVERSATION_ENDED)),
                scenario(
                        "conversation ended without a warning does not",
                        none,
                        received(Severity.MEDIUM),
                        did(InteractionKind.CONVERSATION_ENDED)),
                scenario(
                        "conversation ended while the customer is abusive goes to SUPERVISOR without a warning",
                        List.of("tone-rising→TEAM_LEAD", "conversation-ended-after-warning→SUPERVISOR"),
                        received(Severity.MEDIUM),
                        contact(CustomerTone.ABUSIVE),
                        did(InteractionKind.CONVERSATION_ENDED)),
                scenario(
                        "a warning alone does not",
                        none,
                        received(Severity.MEDIUM),
                        did(InteractionKind.BOUNDARY_WARNING)),
                scenario(
                        "two rejected solutions go to TEAM_LEAD",
                        one.apply("solutions-rejected-twice→TEAM_LEAD"),
                        received(Severity.MEDIUM),
                        did(InteractionKind.SOLUTION_REJECTED),
                        did(InteractionKind.NOTE),
                        did(InteractionKind.SOLUTION_REJECTED),
                        did(InteractionKind.SOLUTION_REJECTED)),
                scenario(
                        "one rejected solution does not",
                        none,
                        received(Severity.MEDIUM),
                        did(InteractionKind.SOLUTION_REJECTED)),
                scenario(
                        "a missed promise goes one up",
                        one.apply("promise-missed→TEAM_LEAD"),
                        received(Severity.LOW),
                        missed()),
                scenario(
                        "a missed promise re-arms after another event and goes up again",
                        List.of("promise-missed→TEAM_LEAD", "promise-missed→SUPERVISOR"),
                        received(Severity.LOW),
                        missed(),
                        did(InteractionKind.NOTE),
                        missed()),
                scenario(
                        "two missed promises back to back are one crossing",
                        one.apply("promise-missed→TEAM_LEAD"),
                        received(Severity.LOW),
                        missed(),
                        missed()),
                scenario(
                        "assistance requested goes one up from the case's level",
                        one.apply("assistance-requested→MANAGER"),
                        received(Severity.MEDIUM),
                        assigned(EscalationLevel.SUPERVISOR),
                        did(InteractionKind.ASSISTANCE_REQUESTED)),
                scenario(
                        "never past MANAGER",
                        none,
                        received(Severity.MEDIUM),
                        assigned(EscalationLevel.MANAGER),
                        did(InteractionKind.ASSISTANCE_REQUESTED),
                        missed()),
                scenario(
                        "two quick triggers go up twice, not both from the old level",
                        List.of("promise-missed→TEAM_LEAD", "assistance-requested→SUPERVISOR"),
                        received(Severity.LOW),
                        missed(),
                        did(InteractionKind.ASSISTANCE_REQUESTED)),
                scenario(
                        "never down: a lower target after a higher escalation raises nothing",
                        one.apply("critical-severity→SUPERVISOR"),
                        received(Severity.CRITICAL),
                        did(InteractionKind.SOLUTION_REJECTED),
                        did(InteractionKind.SOLUTION_REJECTED),
                        contact(CustomerTone.ABUSIVE)),
                scenario(
                        "UPSET then ANGRY goes to TEAM_LEAD",
                        one.apply("tone-rising→TEAM_LEAD"),
                        received(Severity.MEDIUM),
                        contact(CustomerTone.UPSET),
                        contact(CustomerTone.ANGRY)),
                scenario(
                        "ABUSIVE at once goes to TEAM_LEAD",
                        one.apply("tone-rising→TEAM_LEAD"),
                        received(Severity.MEDIUM),
                        contact(CustomerTone.ABUSIVE)),
                scenario(
                        "THREATENING at once goes to TEAM_LEAD, like ABUSIVE",
                        one.apply("tone-rising→TEAM_LEAD"),
                        received(Severity.MEDIUM),
                        contact(CustomerTone.THREATENING)),
                scenario(
                        "conversation ended while the customer is threatening goes to SUPERVISOR without a warning",
                        List.of("tone-rising→TEAM_LEAD", "conversation-ended-after-warning→SUPERVISOR"),
                        received(Severity.MEDIUM),
                        contact(CustomerTone.THREATENING),
                        did(InteractionKind.CONVERSATION_ENDED)),
                scenario(
                        "ANGRY first contact, then calmer, does not",
                        none,
                        received(Severity.MEDIUM),
                        contact(CustomerTone.ANGRY),
                        contact(CustomerTone.UPSET),
                        contact(CustomerTone.CALM)),
                scenario(
                        "a dissatisfied follow-up goes to SUPERVISOR",
                        one.apply("dissatisfied-followup→SUPERVISOR"),
                        received(Severity.MEDIUM),
                        followup(false)),
                scenario(
                        "a satisfied or silent follow-up does not",
                        none,
                        received(Severity.MEDIUM),
                        followup(true),
                        followup(null)),
                scenario(
                        "a second reopening goes to SUPERVISOR",
                        one.apply("second-reopening→SUPERVISOR"),
                        received(Severity.MEDIUM),
                        reopened(),
                        did(InteractionKind.NOTE),
                        reopened()),
                scenario("one reopening does not", none, received(Severity.MEDIUM), reopened()),
                scenario(
                        "a demand for a manager alone escalates nothing",
                        none,
                        received(Severity.MEDIUM),
                        contact(CustomerTone.CALM),
                        did(InteractionKind.MANAGER_REQUESTED),
                        did(InteractionKind.MANAGER_REQUESTED),
                        did(InteractionKind.MANAGER_REQUESTED)),
                scenario(
                        "events before complaint.received still count",
                        one.apply("dissatisfied-followup→SUPERVISOR"),
                        followup(false),
                        received(Severity.LOW)),
                scenario(
                        "a warning on the final response goes to TEAM_LEAD",
                        one.apply("final-response-warning→TEAM_LEAD"),
                        received(Severity.MEDIUM),
                        warning("FINAL_RESPONSE")),
                scenario(
                        "a warning on another deadline does not",
                        none,
                        received(Severity.MEDIUM),
                        warning("ACKNOWLEDGEMENT"),
                        warning("ESCALATION_RESPONSE")),
                scenario(
                        "a final-response warning again, after other events, is a new crossing but not above TEAM_LEAD",
                        one.apply("final-response-warning→TEAM_LEAD"),
                        received(Severity.MEDIUM),
                        warning("FINAL_RESPONSE"),
                        did(InteractionKind.NOTE),
                        warning("FINAL_RESPONSE")),
                scenario(
                        "a breach goes to MANAGER",
                        one.apply("deadline-breached→MANAGER"),
                        received(Severity.LOW),
                        breached("ACKNOWLEDGEMENT")),
                scenario(
                        "a warning, then the breach of the final response: TEAM_LEAD, then MANAGER",
                        List.of("final-response-warning→TEAM_LEAD", "deadline-breached→MANAGER"),
                        received(Severity.MEDIUM),
                        warning("FINAL_RESPONSE"),
                        did(InteractionKind.APOLOGY),
                        breached("FINAL_RESPONSE")),
                scenario(
                        "two breaches make one MANAGER escalation",
                        one.apply("deadline-breached→MANAGER"),
                        received(Severity.MEDIUM),
                        breached("ACKNOWLEDGEMENT"),
                        did(InteractionKind.NOTE),
                        breached("FINAL_RESPONSE")),
                scenario(
                        "a breach on a case at MANAGER raises nothing",
                        none,
                        received(Severity.MEDIUM),
                        assigned(EscalationLevel.MANAGER),
                        breached("FINAL_RESPONSE")),
                scenario(
                        "a final-response warning, then a missed promise, goes one up from TEAM_LEAD",
                        List.of("final-response-warning→TEAM_LEAD", "promise-missed→SUPERVISOR"),
                        received(Severity.LOW),
                        warning("FINAL_RESPONSE"),
                        missed()),
                scenario(
                        "a vulnerable customer's case at AGENT goes to SUPERVISOR on any deadline warning",
                        one.apply("vulnerable-customer-warning→SUPERVISOR"),
                        received(Severity.LOW),
                        vulnerable(true),
                        warning("ACKNOWLEDGEMENT")),
                scenario(
                        "on a final-response warning a vulnerable customer's case goes to SUPERVISOR once, not via TEAM_LEAD",
                        one.apply("vulnerable-customer-warning→SUPERVISOR"),
                        received(Severity.MEDIUM),
                        vulnerable(true),
                        warning("FINAL_RESPONSE")),
                scenario(
                        "a customer who is not vulnerable (or no longer) is left to the other rules",
                        one.apply("final-response-warning→TEAM_LEAD"),
                        received(Severity.MEDIUM),
                        vulnerable(true),
                        vulnerable(false),
                        warning("ACKNOWLEDGEMENT"),
                        warning("FINAL_RESPONSE")),
                scenario(
                        "being marked vulnerable alone escalates nothing",
                        none,
                        received(Severity.MEDIUM),
                        vulnerable(true),
                        did(InteractionKind.NOTE)),
                scenario(
                        "a vulnerable customer's case already above AGENT is not moved by the warning",
                        none,
                        received(Severity.MEDIUM),
                        assigned(EscalationLevel.TEAM_LEAD),
                        vulnerable(true),
                        warning("ACKNOWLEDGEMENT")),
                scenario(
                        "an erased customer is no longer known to be vulnerable",
                        none,
                        received(Severity.MEDIUM),
                        vulnerable(true),
                        erased(),
                        warning("ACKNOWLEDGEMENT")),
                scenario(
                        "a demand for a manager with a deadline warning on the acknowledgement escalates nothing",
                        none,
                        received(Severity.MEDIUM),
                        did(InteractionKind.MANAGER_REQUESTED),
                        warning("ACKNOWLEDGEMENT"),
                        did(InteractionKind.MANAGER_REQUESTED)));
    }

    static Stream<Arguments> repeatComplainants() {
        List<String> none = List.of();
        List<String> fired = List.of("angry-repeat-complainant→TEAM_LEAD");
        return Stream.of(
                Arguments.of(
                        "angry, with two other complaints in 90 days, goes to TEAM_LEAD",
                        new long[] {10, 80},
                        List.of(contact(CustomerTone.ANGRY)),
                        fired),
                Arguments.of(
                        "threatening, with two other complaints in 90 days, is watched as angry is",
                        new long[] {10, 80},
                        List.of(contact(CustomerTone.THREATENING)),
                        List.of("tone-rising→TEAM_LEAD")),
                Arguments.of(
                        "angry, with one other complaint in 90 days, does not",
                        new long[] {10},
                        List.of(contact(CustomerTone.ANGRY)),
                        none),
                Arguments.of(
                        "angry, with the second other complaint older than 90 days, does not",
                        new long[] {10, 91},
                        List.of(contact(CustomerTone.ANGRY)),
                        none),
                Arguments.of(
                        "a repeat complainant who is calm or upset does not",
                        new long[] {1, 2, 3},
                        List.of(contact(CustomerTone.CALM), contact(CustomerTone.UPSET), contact(CustomerTone.UPSET)),
                        none),
                Arguments.of(
                        "a repeat complainant's angry contact counts after calmer ones",
                        new long[] {5, 6},
                        List.of(contact(CustomerTone.CALM), contact(CustomerTone.ANGRY)),
                        List.of("tone-rising→TEAM_LEAD")),
                Arguments.of(
                        "angry, calm, angry again: one crossing escalates, the second is not above TEAM_LEAD",
                        new long[] {5, 6},
                        List.of(contact(CustomerTone.ANGRY), contact(CustomerTone.CALM), contact(CustomerTone.ANGRY)),
                        fired),
                Arguments.of(
                        "a repeat complainant's demand for a manager alone escalates nothing",
                        new long[] {5, 6, 7},
                        List.of(
                                contact(CustomerTone.UPSET),
                                did(InteractionKind.MANAGER_REQUESTED),
                                did(InteractionKind.MANAGER_REQUESTED)),
                        none));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void defaultRules(String name, List<CasePayload> events, List<String> expected) {
        Replay r = new Replay();
        events.forEach(r::on);
        assertEquals(expected, r.raised, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repeatComplainants")
    void repeatComplainant(
            String name, long[] otherComplaintsDaysBefore, List<CasePayload> events, List<String> expected) {
        Replay r = new Replay()
                .otherComplaintsDaysBefore(otherComplaintsDaysBefore)
                .on(received(Severity.MEDIUM));
        events.forEach(r::on);
        assertEquals(expected, r.raised, name);
    }

    @Test
    void complaintsIn90DaysCountsThisOneAndTheOthersInTheWindowUpToTheEvent() {
        Replay r = new Replay().otherComplaintsDaysBefore(1, 89, 90, 120).on(received(Severity.LOW));
        Map<String, Object> v = RuleVariables.of(
                r.p,
                fromAgent(did(InteractionKind.NOTE), RECEIVED.plusSeconds(3600)),
                did(InteractionKind.NOTE),
                (customerId, caseId, after, upTo) -> r.othersBetween(after, upTo));
        assertEquals(
                3L,
                v.get("complaints_90d"),
                "this one, 1 and 89 days before it; 90 days before it is more than 90 days before the event");
        assertEquals("", v.get("event_deadline_kind"));
        Map<String, Object> d = RuleVariables.of(
                r.p,
                CaseEvent.create(
                        "/followup-service",
                        new Actor(ActorType.SYSTEM, "followup-service"),
                        "C-1",
                        breached("FINAL_RESPONSE"),
                        null,
                        null,
                        RECEIVED.plusSeconds(3600)),
                breached("FINAL_RESPONSE"),
                CustomerComplaints.NONE);
        assertEquals(1L, d.get("complaints_90d"), "only this one without others");
        assertEquals("FINAL_RESPONSE", d.get("event_deadline_kind"));
        assertEquals("UK_FCA_DISP", d.get("event_deadline_profile"));
        assertEquals("deadline.breached", d.get("event_type"));
    }

    @Test
    void theCustomersOtherComplaintsAreSearchedOnlyWhenAConditionReadsThem() {
        Replay r = new Replay().otherComplaintsDaysBefore(1, 2).on(received(Severity.LOW));
        java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();
        CustomerComplaints counted = (customerId, caseId, after, upTo) -> {
            searches.incrementAndGet();
            return 2;
        };
        CaseEvent note = fromAgent(did(InteractionKind.NOTE), RECEIVED.plusSeconds(3600));
        // A calm note: the repeat-complainant rule tests the tone first and never reads complaints_90d.
        Evaluator.evaluate(
                RULES,
                RuleVariables.of(r.p, note, did(InteractionKind.NOTE), counted),
                Map.of(),
                Evaluator.Levels.AGENT);
        assertEquals(0, searches.get());
        Map<String, Object> v = RuleVariables.of(r.p, note, did(InteractionKind.NOTE), counted);
        assertEquals(3L, v.get("complaints_90d"));
        assertEquals(3L, v.get("complaints_90d"));
        assertEquals(1, searches.get(), "counted once, when first read");
        assertEquals(RuleVariables.DECLARED.keySet(), v.keySet());
        assertEquals(
                3L,
                RuleVariables.of(r.p, note, did(InteractionKind.NOTE), counted).entrySet().stream()
                        .filter(e -> e.getKey().equals("complaints_90d"))
                        .findFirst()
                        .orElseThrow()
                        .getValue(),
                "listed with its value");
    }

    @Test
    void aFailureToCountTheOtherComplaintsIsNotAConditionThatDoesNotHold() {
        // The count is made while a condition runs (it is read lazily); a database error there must
        // fail the evaluation, not pass as "not satisfied" (a dry-run reads the customers' cases then).
        Replay r = new Replay().on(received(Severity.LOW));
        CustomerComplaints failing = (customerId, caseId, after, upTo) -> {
            throw new IllegalStateException("the database is gone");
        };
        InteractionRecorded angry = contact(CustomerTone.ANGRY);
        CaseEvent e = fromAgent(angry, RECEIVED.plusSeconds(3600));
        IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> Evaluator.step(RULES, r.p, e, angry, Map.of(), Evaluator.Levels.AGENT, failing));
        assertEquals("the database is gone", thrown.getMessage());
    }

    @Test
    void aRuleOfOneselfMaySeeWhetherTheCustomerIsVulnerable() throws Exception {
        LiveRule custom = new LiveRule(
                "vulnerable-and-high",
                1,
                "MANAGER",
                "A vulnerable customer with a serious complaint",
                new Conditions(1000).compile("vulnerable && severity == \"HIGH\""));
        Replay r = new Replay().on(received(Severity.HIGH));
        assertEquals(
                false,
                RuleVariables.of(
                                r.p,
                                fromAgent(did(InteractionKind.NOTE), RECEIVED),
                                did(InteractionKind.NOTE),
                                CustomerComplaints.NONE)
                        .get("vulnerable"));
        r.on(vulnerable(true));
        Evaluator.Outcome o = Evaluator.evaluate(
                List.of(custom),
                RuleVariables.of(r.p, fromAgent(vulnerable(true), r.time), vulnerable(true), CustomerComplaints.NONE),
                Map.of(),
                Evaluator.Levels.AGENT);
        assertEquals(
                List.of("vulnerable-and-high→MANAGER"),
                o.firings().stream().map(f -> f.ruleId() + "→" + f.to()).toList());
    }

    @Test
    void theMigrationInstallsEveryDefaultRule() {
        assertEquals(
                List.of(
                        "critical-severity",
                        "conversation-ended-after-warning",
                        "solutions-rejected-twice",
                        "promise-missed",
                        "assistance-requested",
                        "tone-rising",
                        "dissatisfied-followup",
                        "second-reopening",
                        "vulnerable-customer-warning",
                        "final-response-warning",
                        "deadline-breached",
                        "angry-repeat-complainant"),
                RULES.stream().map(LiveRule::id).toList());
    }

    /** Issue 31: THREATENING is the most severe tone; ABUSIVE to THREATENING is a rise, the way back a fall. */
    @Test
    void threateningAfterAbusiveIsARise() {
        assertEquals("RISING", CaseProjection.toneTrend(List.of(CustomerTone.ABUSIVE, CustomerTone.THREATENING)));
        assertEquals("FALLING", CaseProjection.toneTrend(List.of(CustomerTone.THREATENING, CustomerTone.ABUSIVE)));
        Replay r = new Replay()
                .on(received(Severity.MEDIUM))
                .on(contact(CustomerTone.ABUSIVE))
                .on(contact(CustomerTone.THREATENING));
        assertTrue(r.states.get("tone-rising"), "still holds: watched once, not twice at TEAM_LEAD");
        assertEquals(List.of("tone-rising WATCH"), r.actions);
        assertEquals("THREATENING", CaseProjection.lastTone(r.p.toneList()));
    }

    @Test
    void aRuleReArmsWhenItsConditionIsFalseAgain() {
        Replay r = new Replay()
                .on(received(Severity.MEDIUM))
                .on(contact(CustomerTone.UPSET))
                .on(contact(CustomerTone.ANGRY));
        assertTrue(r.states.get("tone-rising"));
        r.on(contact(CustomerTone.ANGRY));
        assertFalse(r.states.get("tone-rising"), "ANGRY again is steady, not rising: re-armed");
        r.on(contact(CustomerTone.ABUSIVE));
        assertTrue(r.states.get("tone-rising"));
        assertEquals(List.of("tone-rising→TEAM_LEAD"), r.raised, "fired again, but TEAM_LEAD is not above TEAM_LEAD");
    }

    @Test
    void aDeadlineRuleIsTrueOnItsEventAndReArmsOnTheNext() {
        Replay r = new Replay().on(received(Severity.MEDIUM)).on(warning("FINAL_RESPONSE"));
        assertTrue(r.states.get("final-response-warning"));
        r.on(did(InteractionKind.NOTE));
        assertFalse(r.states.get("final-response-warning"), "false on the next event: re-armed");
        r.on(breached("FINAL_RESPONSE"));
        assertTrue(r.states.get("deadline-breached"));
        assertFalse(r.states.get("final-response-warning"));
        assertEquals(List.of("final-response-warning→TEAM_LEAD", "deadline-breached→MANAGER"), r.raised);
    }

    @Test
    void theBriefingTellsTheStory() {
        Replay r = new Replay()
                .on(received(Severity.HIGH))
                .on(contact(CustomerTone.UPSET))
                .on(did(InteractionKind.SOLUTION_OFFERED))
                .on(did(InteractionKind.SOLUTION_REJECTED))
                .on(contact(CustomerTone.ANGRY));
        String b = Briefing.of(
                Briefing.Facts.of(r.p),
                List.of(),
                new Evaluator.Firing(
                        "tone-rising",
                        1,
                        "The customer is getting angrier",
                        EscalationLevel.AGENT,
                        EscalationLevel.TEAM_LEAD));
        assertTrue(b.contains("CMP-2026-000017"), b);
        assertTrue(b.contains("Charged twice"), b);
        assertTrue(b.contains("UPSET → ANGRY (rising)"), b);
        assertTrue(b.contains("rule tone-rising v1"), b);
        assertFalse(b.contains("WATCH"), "a hand-over says nothing of watching: " + b);

        String watched = Briefing.of(
                Briefing.Facts.of(r.p),
                List.of(),
                new Evaluator.Firing(
                        "tone-rising",
                        2,
                        "The customer is getting angrier",
                        EscalationLevel.AGENT,
                        EscalationLevel.TEAM_LEAD,
                        EscalationAction.WATCH));
        assertTrue(watched.contains("Action: WATCH: TEAM_LEAD watches the case; its owner keeps it"), watched);
    }

    /** Issue 31: whoever picks the case up reads that abuse was reported, and whether a supervisor saw it. */
    @Test
    void theBriefingTellsOfAbuseReported() {
        Replay r = new Replay().on(received(Severity.HIGH)).on(contact(CustomerTone.THREATENING));
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID caseId = CASE;
        Actor agent = new Actor(ActorType.AGENT, "agent-7");
        List<CaseEvent> history = List.of(
                CaseEvent.create(
                        "/intake-service",
                        agent,
                        "C-1",
                        new AbuseReported(
                                caseId,
                                "CMP-2026-000017",
                                first,
                                UUID.randomUUID(),
                                CustomerTone.ABUSIVE,
                                "agent-7",
                                EscalationLevel.TEAM_LEAD,
                                List.of(),
                                true,
                                Instant.parse("2026-03-02T10:00:00Z")),
                        null,
                        null),
                CaseEvent.create(
                        "/intake-service",
                        agent,
                        "C-1",
                        new AbuseReportAcknowledged(
                                caseId,
                                "CMP-2026-000017",
                                first,
                                "agent-7",
                                "sup-1",
                                Instant.parse("2026-03-02T10:05:00Z")),
                        null,
                        null),
                CaseEvent.create(
                        "/intake-service",
                        agent,
                        "C-1",
                        new AbuseReported(
                                caseId,
                                "CMP-2026-000017",
                                second,
                                UUID.randomUUID(),
                                CustomerTone.THREATENING,
                                "agent-7",
                                EscalationLevel.MANAGER,
                                List.of(),
                                true,
                                Instant.parse("2026-03-03T10:00:00Z")),
                        null,
                        null));
        String b = Briefing.of(
                Briefing.Facts.of(r.p),
                history,
                new Evaluator.Firing(
                        "tone-rising",
                        3,
                        "The customer is threatening",
                        EscalationLevel.AGENT,
                        EscalationLevel.TEAM_LEAD));
        assertTrue(
                b.contains("Abuse reported to a supervisor: ABUSIVE, conversation ended by agent-7 at TEAM_LEAD: "
                        + "acknowledged by sup-1; THREATENING, conversation ended by agent-7 at MANAGER: open"),
                b);
    }

    /** The seeds' split: signals of tone add a watcher, the agent's request, an ended abusive conversation and a breach hand over. */
    @Test
    void theDefaultActionsFollowTheSeeds() {
        Map<String, EscalationAction> actions = new HashMap<>();
        RULES.forEach(r -> actions.put(r.id(), r.action()));
        assertEquals(EscalationAction.WATCH, actions.get("tone-rising"));
        assertEquals(EscalationAction.WATCH, actions.get("angry-repeat-complainant"));
        for (String handOver : List.of(
                "critical-severity",
                "conversation-ended-after-warning",
                "solutions-rejected-twice",
                "promise-missed",
                "assistance-requested",
                "dissatisfied-followup",
                "second-reopening",
                "vulnerable-customer-warning",
                "final-response-warning",
                "deadline-breached")) {
            assertEquals(EscalationAction.HAND_OVER, actions.get(handOver), handOver);
        }
        assertEquals(
                3,
                RULES.stream()
                        .filter(r -> r.id().equals("tone-rising"))
                        .findFirst()
                        .orElseThrow()
                        .version());
    }

    @Test
    void aRisingToneIsWatchedAndTheAgentsOwnRequestHandsOver() {
        Replay r = new Replay()
                .on(received(Severity.MEDIUM))
                .on(contact(CustomerTone.UPSET))
                .on(contact(CustomerTone.ANGRY));
        assertEquals(List.of("tone-rising WATCH"), r.actions);
        r.on(did(InteractionKind.ASSISTANCE_REQUESTED));
        assertEquals(List.of("tone-rising WATCH", "assistance-requested HAND_OVER"), r.actions);
        assertEquals(
                List.of("tone-rising→TEAM_LEAD", "assistance-requested→TEAM_LEAD"),
                r.raised,
                "a watch does not count for a hand-over: one up from the case's own level, AGENT");

        Replay help = new Replay().on(received(Severity.MEDIUM)).on(did(InteractionKind.ASSISTANCE_REQUESTED));
        assertEquals(List.of("assistance-requested HAND_OVER"), help.actions);
        assertEquals(List.of("assistance-requested→TEAM_LEAD"), help.raised);

        Replay breach = new Replay().on(received(Severity.MEDIUM)).on(breached("FINAL_RESPONSE"));
        assertEquals(List.of("deadline-breached HAND_OVER"), breach.actions);
    }

    /** A case whose customer's tone rose: tone-rising watches it from TEAM_LEAD, the agent keeps it. */
    static Replay watchedAtTeamLead() {
        Replay r = new Replay()
                .on(received(Severity.MEDIUM))
                .on(contact(CustomerTone.UPSET))
                .on(contact(CustomerTone.ANGRY));
        assertEquals(List.of("tone-rising WATCH"), r.actions);
        return r;
    }

    @Test
    void aHandOverRuleHandsOverToALevelThatOnlyWatches() {
        Replay help = watchedAtTeamLead().on(did(InteractionKind.ASSISTANCE_REQUESTED));
        assertEquals(List.of("tone-rising→TEAM_LEAD", "assistance-requested→TEAM_LEAD"), help.raised);
        // Handed over to TEAM_LEAD, the case goes one up from there.
        help.on(missed());
        assertEquals(
                List.of("tone-rising→TEAM_LEAD", "assistance-requested→TEAM_LEAD", "promise-missed→SUPERVISOR"),
                help.raised);

        Replay warned = watchedAtTeamLead().on(warning("FINAL_RESPONSE"));
        assertEquals(List.of("tone-rising→TEAM_LEAD", "final-response-warning→TEAM_LEAD"), warned.raised);
        assertEquals(List.of("tone-rising WATCH", "final-response-warning HAND_OVER"), warned.actions);

        Replay rejected = watchedAtTeamLead()
                .on(did(InteractionKind.SOLUTION_REJECTED))
                .on(did(InteractionKind.SOLUTION_REJECTED));
        assertEquals(List.of("tone-rising→TEAM_LEAD", "solutions-rejected-twice→TEAM_LEAD"), rejected.raised);

        // A missed promise while TEAM_LEAD watches: one up from AGENT, the case's own level.
        Replay promise = watchedAtTeamLead().on(missed());
        assertEquals(List.of("tone-rising→TEAM_LEAD", "promise-missed→TEAM_LEAD"), promise.raised);
    }

    @Test
    void aWatchRuleDoesNotWatchTwiceAtOneLevelNorBelowAHandOver() {
        // The angry repeat complainant watches first; the tone then rising to ABUSIVE watches at the same level.
        Replay twice = new Replay()
                .otherComplaintsDaysBefore(5, 6)
                .on(received(Severity.MEDIUM))
                .on(contact(CustomerTone.ANGRY))
                .on(contact(CustomerTone.ABUSIVE));
        assertTrue(twice.states.get("tone-rising"));
        assertEquals(List.of("angry-repeat-complainant→TEAM_LEAD"), twice.raised);

        // Handed over to TEAM_LEAD (two rejected solutions), the case is not watched from TEAM_LEAD.
        Replay handed = new Replay()
                .on(received(Severity.MEDIUM))
                .on(did(InteractionKind.SOLUTION_REJECTED))
                .on(did(InteractionKind.SOLUTION_REJECTED))
                .on(contact(CustomerTone.ABUSIVE));
        assertTrue(handed.states.get("tone-rising"));
        assertEquals(List.of("solutions-rejected-twice→TEAM_LEAD"), handed.raised);

        // Handed over to SUPERVISOR, neither.
        Replay critical = new Replay().on(received(Severity.CRITICAL)).on(contact(CustomerTone.ABUSIVE));
        assertEquals(List.of("critical-severity→SUPERVISOR"), critical.raised);

        // A watch, then a hand-over to that level, then the tone rising again: no second watch.
        Replay after = watchedAtTeamLead()
                .on(did(InteractionKind.ASSISTANCE_REQUESTED))
                .on(contact(CustomerTone.CALM))
                .on(contact(CustomerTone.ABUSIVE));
        assertEquals(List.of("tone-rising→TEAM_LEAD", "assistance-requested→TEAM_LEAD"), after.raised);
    }

    static LiveRule always(String id, String target, EscalationAction action) throws Conditions.Invalid {
        return new LiveRule(id, 1, target, id, new Conditions(1000).compile("true"), action);
    }

    /** The firings of one evaluation from {@code levels}: "rule→LEVEL (from)". */
    static List<String> firings(Evaluator.Levels levels, LiveRule... rules) {
        return Evaluator.evaluate(
                        List.of(rules),
                        RuleVariables.of(
                                new Replay().on(received(Severity.LOW)).p,
                                fromAgent(did(InteractionKind.NOTE), RECEIVED),
                                did(InteractionKind.NOTE),
                                CustomerComplaints.NONE),
                        Map.of(),
                        levels)
                .firings()
                .stream()
                .map(f -> f.ruleId() + "→" + f.to() + " (" + f.from() + ")")
                .toList();
    }

    @Test
    void inOneEvaluationAHandOverRaisesBothLevelsAndAWatchOnlyItsOwn() throws Exception {
        EscalationAction watch = EscalationAction.WATCH;
        EscalationAction handOver = EscalationAction.HAND_OVER;
        assertEquals(
                List.of("w→TEAM_LEAD (AGENT)", "h→TEAM_LEAD (AGENT)"),
                firings(Evaluator.Levels.AGENT, always("w", "TEAM_LEAD", watch), always("h", "TEAM_LEAD", handOver)));
        assertEquals(
                List.of("w→TEAM_LEAD (AGENT)", "h→TEAM_LEAD (AGENT)"),
                firings(Evaluator.Levels.AGENT, always("w", "TEAM_LEAD", watch), always("h", "ONE_UP", handOver)),
                "one up from the level a hand-over is measured from");
        assertEquals(
                List.of("h→TEAM_LEAD (AGENT)"),
                firings(Evaluator.Levels.AGENT, always("h", "TEAM_LEAD", handOver), always("w", "TEAM_LEAD", watch)));
        assertEquals(
                List.of("h→TEAM_LEAD (AGENT)", "w→SUPERVISOR (TEAM_LEAD)"),
                firings(Evaluator.Levels.AGENT, always("h", "TEAM_LEAD", handOver), always("w", "ONE_UP", watch)));
        assertEquals(
                List.of("w→SUPERVISOR (AGENT)"),
                firings(Evaluator.Levels.AGENT, always("w", "SUPERVISOR", watch), always("w2", "TEAM_LEAD", watch)));

        // Open escalations: a TEAM_LEAD watch; the case's projected level under them.
        Evaluator.Levels watched = Evaluator.Levels.AGENT.with(EscalationLevel.TEAM_LEAD, watch);
        assertEquals(new Evaluator.Levels(EscalationLevel.AGENT, EscalationLevel.TEAM_LEAD), watched);
        assertEquals(
                List.of("h→TEAM_LEAD (AGENT)"),
                firings(watched, always("w", "TEAM_LEAD", watch), always("h", "ONE_UP", handOver)));
        assertEquals(
                new Evaluator.Levels(EscalationLevel.SUPERVISOR, EscalationLevel.SUPERVISOR),
                watched.above(EscalationLevel.SUPERVISOR),
                "a watch does not count below the case's own level");
        assertEquals(
                new Evaluator.Levels(EscalationLevel.TEAM_LEAD, EscalationLevel.MANAGER),
                Evaluator.Levels.AGENT.with(EscalationLevel.MANAGER, watch).with(EscalationLevel.TEAM_LEAD, handOver));
    }
}
