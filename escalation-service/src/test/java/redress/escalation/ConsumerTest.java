package redress.escalation;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CaseClosed;
import redress.events.payload.CasePayload;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineCorrected;
import redress.events.payload.DeadlineWarning;
import redress.events.payload.EscalationRaised;
import redress.events.payload.EscalationResolved;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseCorrected;
import redress.events.payload.PromiseMissed;
import redress.events.payload.VulnerabilityChanged;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.Rows;
import redress.testsupport.TestTokens;

/**
 * Case events produced onto the real topics lead to escalations on {@code case.escalations}:
 * exactly one per crossing, however often the events are delivered; what cannot be read goes to
 * {@code case.events.dlq} and does not hold up what follows.
 */
@QuarkusTest
class ConsumerTest {

    static final KafkaTestClient KAFKA = KafkaTestClient.forTests();
    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;

    static final class TestCase {
        final UUID id = UUID.randomUUID();
        final String reference = "CMP-2026-" + String.format("%06d", Math.abs(id.hashCode() % 1_000_000));
        final String customer;

        TestCase() {
            customer = "C-" + id.toString().substring(0, 8);
        }

        /** Another case of the same customer. */
        TestCase(String customer) {
            this.customer = customer;
        }

        CaseEvent event(CasePayload payload) {
            return CaseEvent.create(
                    "/intake-service", new Actor(ActorType.AGENT, "ana"), customer, payload, null, null);
        }

        CaseEvent received(Severity severity) {
            return received(severity, "billing");
        }

        CaseEvent received(Severity severity, String category) {
            return received(severity, category, Instant.now().truncatedTo(ChronoUnit.MICROS));
        }

        CaseEvent received(Severity severity, String category, Instant receivedAt) {
            return event(ComplaintReceived.builder()
                    .caseId(id)
                    .reference(reference)
                    .channel(Channel.WEB)
                    .category(category)
                    .product("card")
                    .summary("Charged twice for one order")
                    .severity(severity)
                    .level(EscalationLevel.AGENT)
                    .status(CaseStatus.OPEN)
                    .regulatoryProfile("DEFAULT")
                    .receivedAt(receivedAt)
                    .registeredAt(receivedAt)
                    .build());
        }

        CaseEvent breached(UUID deadline, String kind, String profile, Instant due) {
            return event(new DeadlineBreached(deadline, id, reference, kind, profile, due));
        }

        /** The breach of the deadline, due at {@code due}, withdrawn: met at {@code metAt}. */
        CaseEvent corrected(UUID deadline, String kind, Instant due, Instant metAt, UUID withdrawn, String reason) {
            return event(new DeadlineCorrected(
                    deadline, id, reference, kind, "DEMO", due, metAt, "BREACHED", withdrawn, reason));
        }

        CaseEvent interaction(InteractionKind kind, CustomerTone tone, String text) {
            return event(new InteractionRecorded(
                    id,
                    reference,
                    UUID.randomUUID(),
                    kind,
                    text,
                    tone == null ? null : Direction.INBOUND,
                    tone == null ? null : Channel.PHONE,
                    tone,
                    null,
                    null,
                    Instant.now().truncatedTo(ChronoUnit.MICROS),
                    null,
                    null,
                    null));
        }
    }

    static List<KafkaTestClient.Received> escalations(UUID caseId) {
        return KAFKA.caseRecords(Topics.CASE_ESCALATIONS, caseId);
    }

    /** The payloads of the case's escalation events, in order. */
    static List<EscalationRaised> raised(UUID caseId) {
        return escalations(caseId).stream()
                .map(r -> (EscalationRaised) payload(r.event()))
                .toList();
    }

    static List<CaseEvent> escalationEvents(UUID caseId) {
        return escalations(caseId).stream().map(KafkaTestClient.Received::event).toList();
    }

    /** The case's events on {@code case.escalations}, asserted to be one escalation raised, then resolved. */
    static List<CaseEvent> raisedThenResolved(UUID caseId) {
        List<CaseEvent> out = escalationEvents(caseId);
        assertEquals(
                List.of("redress.escalation.raised", "redress.escalation.resolved"),
                out.stream().map(CaseEvent::type).toList());
        return out;
    }

    /** Waits for the case's first record on {@code case.escalations}. */
    static KafkaTestClient.Received firstEscalation(UUID caseId) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(() -> escalations(caseId), l -> !l.isEmpty())
                .get(0);
    }

    @SuppressWarnings("unchecked")
    static <T> T payload(CaseEvent e) {
        return (T) EventCodec.payload(e).orElseThrow();
    }

    static RequestSpecification asRulesAdmin() {
        return given().header("Authorization", TestTokens.bearer("rae", "rules-admin"));
    }

    long count(String sql, Object param) throws SQLException {
        return Rows.count(dataSource, sql, param);
    }

    void awaitRecorded(CaseEvent e) {
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM case_history WHERE event_id = ?", e.id()) == 1);
    }

    /** Waits until {@code last} is recorded and the outbox has published what the service wrote for the case. */
    void awaitApplied(CaseEvent last, UUID caseId) {
        awaitRecorded(last);
        awaitPublished(caseId);
    }

    /** Waits until the outbox has published everything the service wrote for this case. */
    void awaitPublished(UUID caseId) {
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        count("SELECT count(*) FROM outbox WHERE record_key = ? AND sent_at IS NULL", caseId.toString())
                                == 0);
    }

    @Test
    void eventsLeadToExactlyOneEscalationWithItsBriefingEvenWhenDeliveredTwice() throws Exception {
        TestCase c = new TestCase();
        List<CaseEvent> events = List.of(
                c.received(Severity.MEDIUM),
                c.interaction(
                        InteractionKind.CUSTOMER_CONTACT, CustomerTone.UPSET, "Customer upset about the double charge"),
                c.interaction(InteractionKind.SOLUTION_OFFERED, null, "Refund the second charge within 5 days"),
                c.interaction(InteractionKind.SOLUTION_REJECTED, null, "Wants it today"),
                c.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.ANGRY, "Customer angry now"));
        for (int round = 0; round < 2; round++) {
            for (CaseEvent e : events) {
                KAFKA.send(Topics.CASE_EVENTS, e);
            }
        }
        // A later event of the same case (same partition) proves the duplicates were consumed, not pending.
        CaseEvent later = c.interaction(InteractionKind.NOTE, null, "noted");
        KAFKA.send(Topics.CASE_EVENTS, later);
        awaitApplied(later, c.id);

        List<KafkaTestClient.Received> raised = escalations(c.id);
        assertEquals(1, raised.size(), "one escalation for one crossing: " + raised);
        CaseEvent envelope = raised.get(0).event();
        assertEquals("redress.escalation.raised", envelope.type());
        assertEquals("/escalation-service", envelope.source());
        assertEquals("system", envelope.actortype().wire());
        assertEquals(c.customer, envelope.customerid());
        assertEquals(events.get(4).id(), envelope.causationid(), "caused by the ANGRY contact");
        EscalationRaised e = payload(envelope);
        assertEquals(EscalationLevel.TEAM_LEAD, e.level());
        assertEquals(EscalationLevel.AGENT, e.previousLevel());
        assertEquals("tone-rising", e.ruleId());
        assertEquals(3, e.ruleVersion(), "version 3 of the default (V12; V10's version 2 first watched)");
        assertEquals(EscalationAction.WATCH, e.action(), "a rising tone adds a watcher; the agent keeps the case");
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals(c.reference, e.reference());
        assertNull(e.responseDueAt());
        assertTrue(e.briefing().contains("Charged twice for one order"), e.briefing());
        assertTrue(e.briefing().contains("Refund the second charge within 5 days"), e.briefing());
        assertTrue(e.briefing().contains("Wants it today"), e.briefing());
        assertTrue(e.briefing().contains("UPSET → ANGRY"), e.briefing());
        assertTrue(e.briefing().contains("rule tone-rising v3"), e.briefing());
        assertTrue(e.briefing().contains("Action: WATCH"), e.briefing());

        assertEquals(6, count("SELECT count(*) FROM case_history WHERE case_id = ?", c.id), "each event stored once");
        assertEquals(1, count("SELECT count(*) FROM escalation WHERE case_id = ?", c.id));
        assertEquals(
                6,
                count(
                        "SELECT count(*) FROM processed_event WHERE event_id IN (SELECT event_id FROM case_history WHERE case_id = ?)",
                        c.id),
                "the ledger and the history hold the same events");
    }

    /** A case whose customer's tone rose: one WATCH at TEAM_LEAD, the agent ana keeps it. */
    EscalationRaised watched(TestCase c) throws Exception {
        KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.MEDIUM));
        KAFKA.send(
                Topics.CASE_EVENTS,
                c.event(new CaseAssigned(
                        c.id, c.reference, "ana", EscalationLevel.AGENT, Severity.MEDIUM, null, null, null, null)));
        KAFKA.send(Topics.CASE_EVENTS, c.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.UPSET, "upset"));
        CaseEvent angry = c.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.ANGRY, "angry");
        KAFKA.send(Topics.CASE_EVENTS, angry);
        awaitApplied(angry, c.id);
        List<EscalationRaised> raised = raised(c.id);
        assertEquals(1, raised.size(), raised.toString());
        assertEquals(EscalationAction.WATCH, raised.get(0).action());
        assertEquals(EscalationLevel.TEAM_LEAD, raised.get(0).level());
        assertEquals(1, count("SELECT count(*) FROM escalation WHERE case_id = ? AND action = 'WATCH'", c.id));
        return raised.get(0);
    }

    /** The escalation.resolved that ended the case's watch (its only one), waited for. */
    EscalationResolved watchEnded(TestCase c) {
        List<CaseEvent> events =
                Awaitility.await().atMost(WAIT).until(() -> escalationEvents(c.id), l -> l.size() == 2);
        assertEquals(
                List.of("redress.escalation.raised", "redress.escalation.resolved"),
                events.stream().map(CaseEvent::type).toList());
        return payload(events.get(1));
    }

    @Test
    void aWatchEndsWhenItsWatcherTakesTheCaseOverWhenTheCaseGoesAboveItAndWhenTheCaseCloses() throws Exception {
        TestCase taken = new TestCase();
        EscalationRaised watch = watched(taken);
        KAFKA.send(
                Topics.CASE_EVENTS,
                taken.event(new CaseAssigned(
                        taken.id,
                        taken.reference,
                        "tl-1",
                        EscalationLevel.TEAM_LEAD,
                        Severity.MEDIUM,
                        "ana",
                        EscalationLevel.AGENT,
                        "Taken over from the watch",
                        watch.escalationId())));
        EscalationResolved ended = watchEnded(taken);
        assertEquals(watch.escalationId(), ended.escalationId());
        assertEquals("taken over by tl-1 at TEAM_LEAD", ended.outcome());
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM escalation WHERE case_id = ? AND status = 'RESOLVED' AND resolved_by = 'tl-1'",
                        taken.id));

        TestCase closed = new TestCase();
        watched(closed);
        KAFKA.send(Topics.CASE_EVENTS, closed.event(new CaseClosed(closed.id, closed.reference, "done")));
        assertEquals("watch ended: the case was closed", watchEnded(closed).outcome());

        // A hand-over above the watch (another escalation, or a manual assignment) ends it; one at or
        // below AGENT (a colleague takes the case) does not.
        TestCase handed = new TestCase();
        watched(handed);
        CaseEvent colleague = handed.event(new CaseAssigned(
                handed.id, handed.reference, "bo", EscalationLevel.AGENT, Severity.MEDIUM, "ana", null, null, null));
        KAFKA.send(Topics.CASE_EVENTS, colleague);
        awaitApplied(colleague, handed.id);
        assertEquals(1, escalationEvents(handed.id).size(), "the watch goes on");
        KAFKA.send(
                Topics.CASE_EVENTS,
                handed.event(new CaseAssigned(
                        handed.id,
                        handed.reference,
                        null,
                        EscalationLevel.SUPERVISOR,
                        Severity.MEDIUM,
                        "bo",
                        null,
                        null,
                        null)));
        assertEquals(
                "watch ended: the case went to SUPERVISOR, unassigned",
                watchEnded(handed).outcome());
    }

    @Test
    void aCriticalComplaintGoesToSupervisorAndLaterSignalsNeverGoDown() throws Exception {
        TestCase c = new TestCase();
        CaseEvent help = c.interaction(InteractionKind.ASSISTANCE_REQUESTED, null, "need help");
        // One producer: the events are likely consumed in one batch.
        KAFKA.sendAll(
                Topics.CASE_EVENTS,
                List.of(
                        c.received(Severity.CRITICAL),
                        c.interaction(InteractionKind.SOLUTION_REJECTED, null, "no"),
                        c.interaction(InteractionKind.SOLUTION_REJECTED, null, "still no"),
                        c.interaction(InteractionKind.MANAGER_REQUESTED, null, "wants the boss"),
                        help));
        awaitApplied(help, c.id);
        List<EscalationRaised> raised = raised(c.id);
        assertEquals(
                List.of(EscalationLevel.SUPERVISOR, EscalationLevel.MANAGER),
                raised.stream().map(EscalationRaised::level).toList(),
                "critical → SUPERVISOR; two rejections (TEAM_LEAD) do not go down; assistance goes one up from SUPERVISOR");
        assertEquals(
                List.of("critical-severity", "assistance-requested"),
                raised.stream().map(EscalationRaised::ruleId).toList());
        // Each briefing tells the story up to the event that fired, not what came after it (the
        // events may well have been consumed in one batch).
        assertTrue(
                raised.get(0).briefing().contains("Solutions rejected: none"),
                raised.get(0).briefing());
        assertTrue(
                raised.get(1).briefing().contains("Solutions rejected: no; still no"),
                raised.get(1).briefing());
    }

    @Test
    void aDemandForAManagerAloneEscalatesNothing() throws Exception {
        TestCase c = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.HIGH));
        KAFKA.send(Topics.CASE_EVENTS, c.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.CALM, "calm call"));
        KAFKA.send(Topics.CASE_EVENTS, c.interaction(InteractionKind.MANAGER_REQUESTED, null, "get me your manager"));
        CaseEvent last = c.interaction(InteractionKind.MANAGER_REQUESTED, null, "again");
        KAFKA.send(Topics.CASE_EVENTS, last);
        awaitRecorded(last);
        assertEquals(0, count("SELECT count(*) FROM escalation WHERE case_id = ?", c.id));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE record_key = ?", c.id.toString()));
    }

    @Test
    void poisonRecordsAreDeadLetteredAndLaterRecordsStillFlow() throws Exception {
        TestCase c = new TestCase();
        String poisonKey = "poison-" + UUID.randomUUID();
        KAFKA.send(
                Topics.CASE_EVENTS,
                c.id.toString(),
                "{not json at all " + poisonKey,
                Map.of("content-type", "application/cloudevents+json; charset=UTF-8"));
        String newer = EventCodec.encode(c.received(Severity.LOW))
                .replace("redress:complaint.received/2", "redress:complaint.received/9");
        KAFKA.send(Topics.CASE_EVENTS, c.id.toString(), newer);
        String futureType = EventCodec.encode(c.received(Severity.LOW))
                .replace("redress.complaint.received", "redress.complaint.snoozed")
                .replace("redress:complaint.received/2", "redress:complaint.snoozed/1");
        KAFKA.send(Topics.CASE_EVENTS, c.id.toString(), futureType);
        CaseEvent critical = c.received(Severity.CRITICAL);
        KAFKA.send(Topics.CASE_EVENTS, critical);

        awaitApplied(critical, c.id);
        List<KafkaTestClient.Received> raised = escalations(c.id);
        assertEquals(1, raised.size());
        assertEquals(
                EscalationLevel.SUPERVISOR,
                ((EscalationRaised) payload(raised.get(0).event())).level());

        List<KafkaTestClient.Received> dead = Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> KAFKA.readAll(
                                Topics.dlq(Topics.CASE_EVENTS),
                                r -> c.id.toString().equals(r.key())),
                        l -> l.size() >= 2);
        assertEquals(2, dead.size(), "the bad JSON and the unknown version; the unknown type is skipped");
        assertTrue(dead.get(0).value().contains(poisonKey));
        assertTrue(dead.get(1).value().contains("complaint.received/9"));
        for (KafkaTestClient.Received d : dead) {
            assertEquals(Topics.CASE_EVENTS, d.headers().get("dead-letter-topic"));
            assertTrue(
                    d.headers().get("dead-letter-reason") != null, d.headers().toString());
        }
        assertEquals(1, count("SELECT count(*) FROM case_history WHERE case_id = ?", c.id), "only the readable event");
    }

    @Test
    void aSavedRuleIsLiveAtOnceAndEachEscalationNamesTheVersionThatRaisedIt() {
        String ruleId = "vip-" + UUID.randomUUID().toString().substring(0, 8);
        String category = "category-" + ruleId;
        String rule = """
                {"id":"%s","name":"VIP","condition":"category == \\"%s\\"","target":"%s","reason":"VIP desk","position":1}""";
        asRulesAdmin()
                .contentType("application/json")
                .body(rule.formatted(ruleId, category, "TEAM_LEAD"))
                .post("/rules")
                .then()
                .statusCode(201);
        TestCase first = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, first.received(Severity.LOW, category));
        EscalationRaised v1 = payload(firstEscalation(first.id).event());
        assertEquals(ruleId, v1.ruleId());
        assertEquals(1, v1.ruleVersion());
        assertEquals(EscalationLevel.TEAM_LEAD, v1.level());
        assertEquals("VIP desk", v1.reason());

        asRulesAdmin()
                .contentType("application/json")
                .body(rule.formatted(ruleId, category, "MANAGER"))
                .put("/rules/" + ruleId)
                .then()
                .statusCode(200);
        TestCase second = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, second.received(Severity.LOW, category));
        EscalationRaised v2 = payload(firstEscalation(second.id).event());
        assertEquals(2, v2.ruleVersion());
        assertEquals(EscalationLevel.MANAGER, v2.level());
        asRulesAdmin().delete("/rules/" + ruleId).then().statusCode(204);
    }

    @Test
    void followUpsCountToo() throws Exception {
        TestCase c = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.LOW));
        CaseEvent missed = c.event(new redress.events.payload.PromiseMissed(
                c.id,
                c.reference,
                UUID.randomUUID(),
                Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS)));
        KAFKA.send(Topics.CASE_FOLLOWUPS, missed);
        awaitApplied(missed, c.id);
        EscalationRaised e = payload(firstEscalation(c.id).event());
        assertEquals("promise-missed", e.ruleId());
        assertEquals(EscalationLevel.TEAM_LEAD, e.level());
    }

    @Test
    void aDeadlineBreachOnTheFollowupsTopicGoesToManagerOnce() throws Exception {
        TestCase c = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.MEDIUM));
        CaseEvent breach = c.breached(
                UUID.randomUUID(),
                "FINAL_RESPONSE",
                "UK_FCA_DISP",
                Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS));
        KAFKA.send(Topics.CASE_FOLLOWUPS, breach);
        KAFKA.send(Topics.CASE_FOLLOWUPS, breach); // delivered twice: applied once
        CaseEvent later = c.breached(
                UUID.randomUUID(),
                "ACKNOWLEDGEMENT",
                "UK_FCA_DISP",
                Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MICROS));
        KAFKA.send(Topics.CASE_FOLLOWUPS, later); // another breach: the case is already at MANAGER
        awaitApplied(later, c.id);

        List<KafkaTestClient.Received> raised = escalations(c.id);
        assertEquals(1, raised.size(), "one escalation: " + raised);
        assertEquals(breach.id(), raised.get(0).event().causationid());
        EscalationRaised e = payload(raised.get(0).event());
        assertEquals("redress.escalation.raised", raised.get(0).event().type());
        assertEquals(EscalationLevel.MANAGER, e.level());
        assertEquals(EscalationLevel.AGENT, e.previousLevel());
        assertEquals("deadline-breached", e.ruleId());
        assertEquals(1, e.ruleVersion());
        assertNull(e.responseDueAt(), "followup-service owns the escalation's response deadline");
        assertTrue(e.briefing().contains("rule deadline-breached v1"), e.briefing());
        assertEquals(1, count("SELECT count(*) FROM escalation WHERE case_id = ?", c.id));
        assertEquals(3, count("SELECT count(*) FROM case_history WHERE case_id = ?", c.id), "each event stored once");
    }

    @Test
    void aVulnerableCustomersCaseAtAgentGoesToSupervisorOnADeadlineWarningLiveAndInADryRun() throws Exception {
        TestCase vulnerable = new TestCase();
        TestCase plain = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, vulnerable.received(Severity.MEDIUM));
        KAFKA.send(Topics.CASE_EVENTS, plain.received(Severity.MEDIUM));
        CaseEvent marked = vulnerable.event(new VulnerabilityChanged(vulnerable.id, vulnerable.reference, true));
        KAFKA.send(Topics.CASE_EVENTS, marked);
        awaitRecorded(marked);
        assertEquals(1, count("SELECT count(*) FROM case_projection WHERE case_id = ? AND vulnerable", vulnerable.id));
        Instant due = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.MICROS);
        List<CaseEvent> warnings = new ArrayList<>();
        for (TestCase c : List.of(vulnerable, plain)) {
            CaseEvent w = c.event(
                    new DeadlineWarning(UUID.randomUUID(), c.id, c.reference, "ACKNOWLEDGEMENT", "UK_FCA_DISP", due));
            warnings.add(w);
            KAFKA.send(Topics.CASE_FOLLOWUPS, w);
        }
        awaitApplied(warnings.get(0), vulnerable.id);
        awaitApplied(warnings.get(1), plain.id);

        List<EscalationRaised> raised = raised(vulnerable.id);
        assertEquals(1, raised.size(), raised.toString());
        EscalationRaised e = raised.get(0);
        assertEquals("vulnerable-customer-warning", e.ruleId());
        assertEquals(EscalationLevel.SUPERVISOR, e.level());
        assertEquals(EscalationLevel.AGENT, e.previousLevel());
        assertTrue(e.briefing().contains("The customer is vulnerable (FCA FG21/1)"), e.briefing());
        assertEquals(List.of(), raised(plain.id), "a customer not known to be vulnerable: no escalation");

        // The dry-run replays the history, the customer's vulnerability with it, to the same result.
        List<Map<String, Object>> replayed = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            RequestSpecification r =
                    asRulesAdmin().contentType("application/json").queryParam("limit", 200);
            if (next != null) {
                r.queryParam("after", next);
            }
            JsonPath page = r.post("/rules/vulnerable-customer-warning/dry-run")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            replayed.addAll(page.getList("escalations"));
            next = page.getString("next");
        } while (next != null && ++pages < 100);
        List<String> ofTheseCases = replayed.stream()
                .filter(x -> x.get("caseId").equals(vulnerable.id.toString())
                        || x.get("caseId").equals(plain.id.toString()))
                .map(x -> x.get("caseId") + " " + x.get("level") + " " + x.get("ruleId"))
                .toList();
        assertEquals(List.of(vulnerable.id + " SUPERVISOR vulnerable-customer-warning"), ofTheseCases);
    }

    @Test
    void aWithdrawnBreachResolvesTheEscalationItRaisedAndOnlyThatOne() throws Exception {
        TestCase c = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.MEDIUM));
        Instant due = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        UUID deadline = UUID.randomUUID();
        CaseEvent breach = c.breached(deadline, "ACKNOWLEDGEMENT", "DEMO", due);
        // The breach and its withdrawal in one poll (the escalation is raised and resolved in one batch),
        // the withdrawal delivered twice, and a correction naming an event that raised nothing.
        CaseEvent corrected = c.corrected(
                deadline,
                "ACKNOWLEDGEMENT",
                due,
                due.minusSeconds(19),
                breach.id(),
                "met at the real time, which arrived late");
        CaseEvent unrelated = c.corrected(
                UUID.randomUUID(),
                "FIRST_RESPONSE",
                due,
                due.minusSeconds(5),
                UUID.randomUUID(),
                "nothing was raised for it");
        KAFKA.sendAll(Topics.CASE_FOLLOWUPS, List.of(breach, corrected, corrected, unrelated));
        awaitApplied(unrelated, c.id);

        List<CaseEvent> out = raisedThenResolved(c.id);
        EscalationRaised raised = payload(out.get(0));
        EscalationResolved resolved = payload(out.get(1));
        assertEquals(raised.escalationId(), resolved.escalationId());
        assertEquals(corrected.id(), out.get(1).causationid(), "resolved because of the correction");
        assertEquals(ActorType.SYSTEM, out.get(1).actortype());
        assertEquals(
                "breach withdrawn: the ACKNOWLEDGEMENT deadline was met at " + due.minusSeconds(19)
                        + ", before its due time " + due,
                resolved.outcome());
        assertEquals(1, count("SELECT count(*) FROM escalation WHERE case_id = ? AND status = 'RESOLVED'", c.id));
        assertEquals(
                0,
                count("SELECT deadline_breaches FROM case_projection WHERE case_id = ?", c.id),
                "the withdrawn breach no longer counts");
    }

    @Test
    void aBreachDischargedByAWindowMetInTimeIsResolvedWithTheDischargeAsItsReason() throws Exception {
        // DISP 1.5.1R: a complaint resolved within the summary resolution window needs no written
        // acknowledgement, so followup-service withdraws an acknowledgement breach it announced before
        // the window ended; the acknowledgement is "met" after its own due time, by the window.
        TestCase c = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.MEDIUM));
        Instant due = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MICROS);
        Instant resolved = due.plusSeconds(1800);
        UUID deadline = UUID.randomUUID();
        CaseEvent breach = c.breached(deadline, "ACKNOWLEDGEMENT", "DEMO", due);
        KAFKA.send(Topics.CASE_FOLLOWUPS, breach);
        awaitApplied(breach, c.id);
        CaseEvent discharged = c.corrected(
                deadline, "ACKNOWLEDGEMENT", due, resolved, breach.id(), "discharged: SUMMARY_RESOLUTION met in time");
        KAFKA.send(Topics.CASE_FOLLOWUPS, discharged);
        awaitApplied(discharged, c.id);

        List<CaseEvent> out = raisedThenResolved(c.id);
        EscalationResolved outcome = payload(out.get(1));
        assertEquals(discharged.id(), out.get(1).causationid());
        assertEquals(
                "breach withdrawn: the ACKNOWLEDGEMENT deadline was discharged at " + resolved
                        + " (discharged: SUMMARY_RESOLUTION met in time)",
                outcome.outcome(),
                "not 'met before its due time': it was met after it, by the window");
    }

    @Test
    void aCriticalComplaintWhoseTextsHoldNulFromAnotherProducerIsStillEscalated() throws Exception {
        // U+0000 is valid JSON ("\u0000") but PostgreSQL text refuses it (PITFALLS 20): before, the
        // record was dead-lettered and the CRITICAL complaint never escalated.
        TestCase c = new TestCase("C-\u0000" + UUID.randomUUID().toString().substring(0, 6));
        CaseEvent received = c.event(ComplaintReceived.builder()
                .caseId(c.id)
                .reference("CMP-2026-\u00001")
                .channel(Channel.WEB)
                .category("bill\u0000ing")
                .product("ca\u0000rd")
                .summary("Charged\u0000 twice")
                .severity(Severity.CRITICAL)
                .level(EscalationLevel.AGENT)
                .status(CaseStatus.OPEN)
                .regulatoryProfile("DEFAULT")
                .receivedAt(Instant.now().truncatedTo(ChronoUnit.MICROS))
                .build());
        CaseEvent contact =
                c.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.ANGRY, "Where is my\u0000 money");
        KAFKA.sendAll(Topics.CASE_EVENTS, List.of(received, contact));
        awaitApplied(contact, c.id);
        List<EscalationRaised> raised = raised(c.id);
        assertEquals(
                List.of(EscalationLevel.SUPERVISOR),
                raised.stream().map(EscalationRaised::level).toList());
        assertEquals(
                1,
                count("SELECT count(*) FROM case_projection WHERE case_id = ? AND category = 'bill\uFFFDing'", c.id));
        assertEquals(1, count("SELECT count(*) FROM escalation WHERE case_id = ?", c.id));
        assertTrue(raised.get(0).briefing().indexOf('\u0000') < 0, "the briefing intake will store holds no U+0000");
    }

    @Test
    @TestSecurity(user = "rae", roles = "rules-admin")
    void aStoredRuleThatNoLongerCompilesIsLeftOutAndNamedAndTheOthersStillEscalate() throws Exception {
        // As a deploy that drops a variable or a CEL upgrade would leave it: written past the API,
        // which refuses such a condition.
        String id = "broken-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection db = dataSource.getConnection();
                Statement s = db.createStatement()) {
            s.executeUpdate("INSERT INTO rule (id, current_version, deleted) VALUES ('" + id + "', 1, false)");
            s.executeUpdate(
                    "INSERT INTO rule_version (rule_id, version, name, condition, target, position, enabled, reason, "
                            + "saved_by, saved_at) VALUES ('" + id
                            + "', 1, 'Broken', 'no_such_variable > 1', 'MANAGER', 1, true, "
                            + "'never fires', 'test', now())");
        }
        try {
            TestCase c = new TestCase();
            CaseEvent received = c.received(Severity.CRITICAL);
            KAFKA.send(Topics.CASE_EVENTS, received);
            awaitApplied(received, c.id);
            List<EscalationRaised> raised = raised(c.id);
            assertEquals(
                    List.of("critical-severity"),
                    raised.stream().map(EscalationRaised::ruleId).toList(),
                    "escalated by the other rules, not dead-lettered");
            String problem = given().get("/rules")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getString("items.find { it.id == '" + id + "' }.problem");
            assertTrue(problem != null && problem.startsWith("the stored condition no longer compiles"), problem);
            assertNull(given().get("/rules/critical-severity")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .get("problem"));
        } finally {
            try (Connection db = dataSource.getConnection();
                    Statement s = db.createStatement()) {
                s.executeUpdate("UPDATE rule SET deleted = true WHERE id = '" + id + "'");
            }
        }
    }

    @Test
    void aWithdrawnMissResolvesTheEscalationItRaised() throws Exception {
        TestCase c = new TestCase();
        KAFKA.send(Topics.CASE_EVENTS, c.received(Severity.MEDIUM));
        Instant due = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        UUID promise = UUID.randomUUID();
        CaseEvent missed = c.event(new PromiseMissed(c.id, c.reference, promise, due));
        CaseEvent corrected = c.event(new PromiseCorrected(
                c.id,
                c.reference,
                promise,
                due,
                due.minusSeconds(30),
                missed.id(),
                "kept in time; the promise.kept arrived late"));
        KAFKA.send(Topics.CASE_FOLLOWUPS, missed);
        awaitRecorded(missed);
        KAFKA.send(Topics.CASE_FOLLOWUPS, corrected);
        awaitApplied(corrected, c.id);

        List<CaseEvent> out = raisedThenResolved(c.id);
        EscalationResolved resolved = payload(out.get(1));
        assertTrue(resolved.outcome().startsWith("miss withdrawn"), resolved.outcome());
        assertEquals(corrected.id(), out.get(1).causationid());
        assertEquals(0, count("SELECT promises_missed FROM case_projection WHERE case_id = ?", c.id));
    }

    @Test
    void anAngryCustomerWithThreeComplaintsIn90DaysGoesToTeamLead() throws Exception {
        TestCase first = new TestCase();
        TestCase second = new TestCase(first.customer);
        TestCase third = new TestCase(first.customer);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CaseEvent a = first.received(Severity.LOW, "billing", now.minus(Duration.ofDays(80)));
        CaseEvent b = second.received(Severity.LOW, "billing", now.minus(Duration.ofDays(3)));
        KAFKA.send(Topics.CASE_EVENTS, a);
        KAFKA.send(Topics.CASE_EVENTS, b);
        awaitRecorded(a); // other partitions: the earlier cases are counted once this service has them
        awaitRecorded(b);
        KAFKA.send(Topics.CASE_EVENTS, third.received(Severity.LOW));
        CaseEvent angry =
                third.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.ANGRY, "third time this quarter");
        KAFKA.send(Topics.CASE_EVENTS, angry);
        awaitApplied(angry, third.id);
        List<KafkaTestClient.Received> raised = escalations(third.id);
        assertEquals(1, raised.size(), "one escalation: " + raised);
        EscalationRaised e = payload(raised.get(0).event());
        assertEquals("angry-repeat-complainant", e.ruleId());
        assertEquals(EscalationLevel.TEAM_LEAD, e.level());
        assertEquals(EscalationAction.WATCH, e.action());
        assertEquals(angry.id(), raised.get(0).event().causationid());
        assertEquals(0, count("SELECT count(*) FROM escalation WHERE case_id = ?", first.id));

        // The same with the first complaint more than 90 days ago: two in 90 days, nothing.
        TestCase old = new TestCase();
        TestCase recent = new TestCase(old.customer);
        TestCase current = new TestCase(old.customer);
        CaseEvent o = old.received(Severity.LOW, "billing", now.minus(Duration.ofDays(91)));
        CaseEvent r = recent.received(Severity.LOW, "billing", now.minus(Duration.ofDays(3)));
        KAFKA.send(Topics.CASE_EVENTS, o);
        KAFKA.send(Topics.CASE_EVENTS, r);
        awaitRecorded(o);
        awaitRecorded(r);
        KAFKA.send(Topics.CASE_EVENTS, current.received(Severity.LOW));
        CaseEvent calmer = current.interaction(InteractionKind.CUSTOMER_CONTACT, CustomerTone.ANGRY, "second time");
        KAFKA.send(Topics.CASE_EVENTS, calmer);
        awaitRecorded(calmer);
        assertEquals(0, count("SELECT count(*) FROM escalation WHERE case_id = ?", current.id));
    }
}
