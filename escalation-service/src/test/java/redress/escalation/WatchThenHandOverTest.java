package redress.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import redress.events.CaseEvent;
import redress.events.CustomerTone;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseAssigned;
import redress.events.payload.DeadlineWarning;
import redress.events.payload.EscalationRaised;
import redress.events.payload.EscalationResolved;
import redress.testsupport.Rows;

/**
 * A watch does not stop a hand-over: a HAND_OVER rule aimed at a level that only watches the case hands
 * it over and ends the watch (escalation.resolved, then escalation.raised); a WATCH rule watches neither
 * twice at one level nor below a hand-over; the dry-run finds the same escalations.
 */
@QuarkusTest
class WatchThenHandOverTest {

    @Inject
    DataSource dataSource;

    long count(String sql, Object param) throws SQLException {
        return Rows.count(dataSource, sql, param);
    }

    /** Waits until {@code last} is recorded and the outbox has published what the service wrote for its case. */
    void awaitApplied(CaseEvent last, UUID caseId) {
        Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM case_history WHERE event_id = ?", last.id()) == 1
                        && count(
                                        "SELECT count(*) FROM outbox WHERE record_key = ? AND sent_at IS NULL",
                                        caseId.toString())
                                == 0);
    }

    /** The case's events on case.escalations, once there are {@code n}. */
    static List<CaseEvent> escalationEvents(UUID caseId, int n) {
        List<CaseEvent> events = Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .until(() -> ConsumerTest.escalationEvents(caseId), l -> l.size() >= n);
        assertEquals(n, events.size(), events.toString());
        return events;
    }

    /** The opening of a case whose customer's tone rose, held by ana at AGENT: tone-rising watches it. */
    static List<CaseEvent> angryCustomer(ConsumerTest.TestCase c, String category) throws InterruptedException {
        List<CaseEvent> events = new ArrayList<>();
        add(events, c.received(Severity.MEDIUM, category));
        add(
                events,
                c.event(new CaseAssigned(
                        c.id, c.reference, "ana", EscalationLevel.AGENT, Severity.MEDIUM, null, null, null, null)));
        add(events, c.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.UPSET, "upset"));
        add(events, c.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.ANGRY, "angry"));
        return events;
    }

    /** Adds {@code e}; the next event made has a later time, so the dry-run's (time, id) order is the order made. */
    static void add(List<CaseEvent> events, CaseEvent e) throws InterruptedException {
        events.add(e);
        Thread.sleep(2);
    }

    /** Asserts the three events of a watch ended by a hand-over to TEAM_LEAD by {@code ruleId}; answers the hand-over. */
    EscalationRaised assertWatchHandedOver(ConsumerTest.TestCase c, String ruleId) throws SQLException {
        List<CaseEvent> events = escalationEvents(c.id, 3);
        assertEquals(
                List.of("redress.escalation.raised", "redress.escalation.resolved", "redress.escalation.raised"),
                events.stream().map(CaseEvent::type).toList(),
                "the watch ends before the hand-over is raised");
        EscalationRaised watch = ConsumerTest.payload(events.get(0));
        assertEquals(EscalationAction.WATCH, watch.action());
        assertEquals(EscalationLevel.TEAM_LEAD, watch.level());
        assertEquals("tone-rising", watch.ruleId());

        EscalationResolved ended = ConsumerTest.payload(events.get(1));
        assertEquals(watch.escalationId(), ended.escalationId());
        assertEquals(EscalationLevel.TEAM_LEAD, ended.level());
        assertEquals("watch ended: handed over to TEAM_LEAD by rule " + ruleId, ended.outcome());
        assertEquals("system", events.get(1).actortype().wire());

        EscalationRaised handOver = ConsumerTest.payload(events.get(2));
        assertEquals(EscalationAction.HAND_OVER, handOver.action());
        assertEquals(EscalationLevel.TEAM_LEAD, handOver.level(), "not one up from the watch");
        assertEquals(EscalationLevel.AGENT, handOver.previousLevel(), "from the case's own level");
        assertEquals(ruleId, handOver.ruleId());

        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM escalation WHERE case_id = ? AND action = 'WATCH' AND status = 'RESOLVED'"
                                + " AND resolved_by = 'escalation-service' AND outcome = 'watch ended: handed over to TEAM_LEAD by rule "
                                + ruleId + "'",
                        c.id));
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM escalation WHERE case_id = ? AND status <> 'RESOLVED' AND action = 'HAND_OVER'"
                                + " AND level = 'TEAM_LEAD'",
                        c.id));
        assertEquals(2, count("SELECT count(*) FROM escalation WHERE case_id = ?", c.id));
        return handOver;
    }

    @Test
    void theAgentsRequestAndADeadlineWarningHandOverToALevelThatOnlyWatches() throws Exception {
        // All in one poll: the watch is raised and ended, and the hand-over raised, in one transaction.
        ConsumerTest.TestCase help = new ConsumerTest.TestCase();
        List<CaseEvent> events = angryCustomer(help, "billing");
        CaseEvent request = help.interaction(InteractionKind.ASSISTANCE_REQUESTED, null, "I need help with this one");
        add(events, request);
        ConsumerTest.KAFKA.sendAll(Topics.CASE_EVENTS, events);
        awaitApplied(request, help.id);
        assertWatchHandedOver(help, "assistance-requested");

        // The watch stored by an earlier transaction, then the final response's warning.
        ConsumerTest.TestCase warned = new ConsumerTest.TestCase();
        List<CaseEvent> opening = angryCustomer(warned, "billing");
        ConsumerTest.KAFKA.sendAll(Topics.CASE_EVENTS, opening);
        escalationEvents(warned.id, 1);
        CaseEvent warning = warned.event(new DeadlineWarning(
                UUID.randomUUID(),
                warned.id,
                warned.reference,
                "FINAL_RESPONSE",
                "UK_FCA_DISP",
                Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MICROS)));
        ConsumerTest.KAFKA.send(Topics.CASE_FOLLOWUPS, warning);
        awaitApplied(warning, warned.id);
        assertWatchHandedOver(warned, "final-response-warning");
    }

    static RequestSpecification asRulesAdmin() {
        return ConsumerTest.asRulesAdmin().contentType("application/json");
    }

    @Test
    void aWatchRuleWatchesNeitherTwiceAtOneLevelNorBelowAHandOverAndTheDryRunAgrees() throws Exception {
        String ruleId = "watch-note-" + UUID.randomUUID().toString().substring(0, 8);
        String category = "category-" + ruleId;
        asRulesAdmin()
                .body("""
                        {"id":"%s","name":"Watch on a note","condition":"category == \\"%s\\" && event_kind == \\"NOTE\\"",
                         "target":"TEAM_LEAD","action":"WATCH","reason":"A note: a team lead watches","position":1}""".formatted(ruleId, category))
                .post("/rules")
                .then()
                .statusCode(201);
        try {
            // The rule watches a case nobody watches yet.
            ConsumerTest.TestCase control = new ConsumerTest.TestCase();
            // Watched from TEAM_LEAD by tone-rising: the note's watch is not raised a second time.
            ConsumerTest.TestCase twice = new ConsumerTest.TestCase();
            // Handed over to SUPERVISOR: no watch from below.
            ConsumerTest.TestCase below = new ConsumerTest.TestCase();
            // Watched, then handed over by the agent's own request.
            ConsumerTest.TestCase help = new ConsumerTest.TestCase();
            List<CaseEvent> sent = new ArrayList<>();
            add(sent, control.received(Severity.MEDIUM, category));
            add(sent, control.interaction(InteractionKind.NOTE, null, "noted"));
            sent.addAll(angryCustomer(twice, category));
            add(sent, twice.interaction(InteractionKind.NOTE, null, "noted"));
            add(sent, below.received(Severity.CRITICAL, category));
            add(sent, below.interaction(InteractionKind.NOTE, null, "noted"));
            sent.addAll(angryCustomer(help, category));
            add(sent, help.interaction(InteractionKind.ASSISTANCE_REQUESTED, null, "help"));
            ConsumerTest.KAFKA.sendAll(Topics.CASE_EVENTS, sent);
            List<ConsumerTest.TestCase> cases = List.of(control, twice, below, help);
            for (ConsumerTest.TestCase c : cases) {
                CaseEvent last = sent.stream()
                        .filter(e -> e.subject().equals(c.id.toString()))
                        .reduce((a, b) -> b)
                        .orElseThrow();
                awaitApplied(last, c.id);
            }

            Map<UUID, List<String>> live = new HashMap<>();
            for (ConsumerTest.TestCase c : cases) {
                live.put(
                        c.id,
                        ConsumerTest.escalationEvents(c.id).stream()
                                .filter(e -> e.type().equals("redress.escalation.raised"))
                                .map(e -> (EscalationRaised) ConsumerTest.payload(e))
                                .map(e -> e.level() + " " + e.ruleId() + " " + e.action())
                                .sorted()
                                .toList());
            }
            assertEquals(List.of("TEAM_LEAD " + ruleId + " WATCH"), live.get(control.id));
            assertEquals(List.of("TEAM_LEAD tone-rising WATCH"), live.get(twice.id), "not watched twice at TEAM_LEAD");
            assertEquals(
                    List.of("SUPERVISOR critical-severity HAND_OVER"),
                    live.get(below.id),
                    "not watched below a hand-over");
            assertEquals(
                    List.of("TEAM_LEAD assistance-requested HAND_OVER", "TEAM_LEAD tone-rising WATCH"),
                    live.get(help.id));
            assertEquals(
                    1, count("SELECT count(*) FROM escalation WHERE case_id = ? AND status <> 'RESOLVED'", twice.id));

            // The dry-run of the current rules replays the same cases and finds the same escalations.
            Set<String> ours = cases.stream().map(c -> c.id.toString()).collect(Collectors.toSet());
            Map<UUID, List<String>> dry = new HashMap<>();
            cases.forEach(c -> dry.put(c.id, new ArrayList<>()));
            String next = null;
            int pages = 0;
            do {
                RequestSpecification r = asRulesAdmin().queryParam("limit", 200);
                if (next != null) {
                    r.queryParam("after", next);
                }
                JsonPath page = r.post("/rules/critical-severity/dry-run")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                assertEquals(false, page.getBoolean("truncated"));
                List<Map<String, Object>> items = page.getList("escalations");
                items.stream()
                        .filter(e -> ours.contains((String) e.get("caseId")))
                        .forEach(e -> dry.get(UUID.fromString((String) e.get("caseId")))
                                .add(e.get("level") + " " + e.get("ruleId") + " " + e.get("action")));
                next = page.getString("next");
                pages++;
            } while (next != null && pages < 1000);
            dry.values().forEach(l -> l.sort(null));
            assertEquals(live, dry, "the dry-run raises what live evaluation raised");
            assertTrue(dry.values().stream().allMatch(l -> !l.isEmpty()));
        } finally {
            asRulesAdmin().delete("/rules/" + ruleId).then().statusCode(204);
        }
    }
}
