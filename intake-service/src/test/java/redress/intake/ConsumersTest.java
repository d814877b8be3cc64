package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CaseReopened;
import redress.events.payload.DeadlineWarning;
import redress.events.payload.EscalationRaised;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.FollowupScheduled;
import redress.events.payload.PromiseMissed;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.Rows;

/**
 * What other services publish about a case is applied once, however often it is delivered; what
 * cannot be read goes to the dead-letter topic and does not hold up what follows.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class ConsumersTest {

    @Inject
    DataSource dataSource;

    static final Actor ESCALATION_SERVICE = new Actor(ActorType.SYSTEM, "escalation-service");
    static final Actor FOLLOWUP_SERVICE = new Actor(ActorType.SYSTEM, "followup-service");

    static String reference(UUID id) {
        return given().get("/complaints/" + id).then().extract().path("reference");
    }

    static CaseEvent escalation(UUID caseId, EscalationLevel level, UUID escalationId) {
        return fromEscalationService(
                "C-x",
                EscalationRaised.builder()
                        .escalationId(escalationId)
                        .caseId(caseId)
                        .reference(reference(caseId))
                        .level(level)
                        .previousLevel(EscalationLevel.AGENT)
                        .severity(Severity.HIGH)
                        .reason("tone rising")
                        .ruleId("tone-rising")
                        .ruleVersion(2)
                        .briefing("Customer went from UPSET to ANGRY")
                        .build());
    }

    static CaseEvent fromEscalationService(String customer, EscalationRaised raised) {
        return CaseEvent.create("/escalation-service", ESCALATION_SERVICE, customer, raised, null, null);
    }

    /** An escalation from {@code AGENT} to {@code level} of a LOW case, raised by rule "rule". */
    static EscalationRaised plainEscalation(UUID caseId, String reference, EscalationLevel level) {
        return EscalationRaised.builder()
                .escalationId(UUID.randomUUID())
                .caseId(caseId)
                .reference(reference)
                .level(level)
                .previousLevel(EscalationLevel.AGENT)
                .severity(Severity.LOW)
                .reason("r")
                .ruleId("rule")
                .ruleVersion(1)
                .briefing("b")
                .build();
    }

    /** Waits until {@code GET path} shows {@code value} in {@code field}. */
    static void awaitCase(String path, String field, String value) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get(path).then().body(field, is(value)));
    }

    /** Waits until the case's dead letters on {@code case.escalations.dlq} pass {@code enough}, and returns them. */
    static List<KafkaTestClient.Received> deadLetters(UUID caseId, Predicate<List<KafkaTestClient.Received>> enough) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> Api.KAFKA.readAll(
                                Topics.dlq(Topics.CASE_ESCALATIONS),
                                r -> caseId.toString().equals(r.key())),
                        enough::test);
    }

    @Test
    void escalationMovesTheCaseToTheLevelsQueueOnce() {
        UUID id = Api.newCase(Api.newCustomer());
        Api.post(
                        "/complaints/" + id + "/assignment",
                        "{\"assignee\":\"ana\",\"level\":\"AGENT\",\"briefing\":\"first owner\"}")
                .statusCode(200);
        UUID escalationId = UUID.randomUUID();
        CaseEvent raised = escalation(id, EscalationLevel.SUPERVISOR, escalationId);
        for (int i = 0; i < 3; i++) {
            Api.KAFKA.send(Topics.CASE_ESCALATIONS, raised);
        }
        List<CaseEvent> events = Api.awaitEvents(id, 3);
        given().get("/complaints/" + id).then().body("level", is("SUPERVISOR")).body("assignee", nullValue());
        // A later, different event on the same partition proves the duplicates were consumed, not pending.
        CaseEvent second = escalation(id, EscalationLevel.MANAGER, UUID.randomUUID());
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, second);
        events = Api.awaitEvents(id, 4);
        assertEquals(
                List.of(
                        "redress.complaint.received",
                        "redress.case.assigned",
                        "redress.case.assigned",
                        "redress.case.assigned"),
                Api.types(events));
        CaseAssigned byEscalation = EventCodec.payload(events.get(2), CaseAssigned.class);
        assertEquals(EscalationLevel.SUPERVISOR, byEscalation.level());
        assertEquals(null, byEscalation.assignee());
        assertEquals("ana", byEscalation.previousAssignee());
        assertEquals(escalationId, byEscalation.escalationId());
        assertEquals("Customer went from UPSET to ANGRY", byEscalation.briefing());
        assertEquals(raised.id(), events.get(2).causationid());
        assertEquals(raised.correlationid(), events.get(2).correlationid());
        assertEquals(ActorType.SYSTEM, events.get(2).actortype());
        assertEquals("intake-service", events.get(2).actorid());
        given().get("/complaints/" + id).then().body("level", is("MANAGER"));
    }

    @Test
    void anEscalationThatArrivesAfterAPersonPlacedTheCaseHigherChangesNothing() throws Exception {
        UUID id = Api.newCase(Api.newCustomer());
        Api.post(
                        "/complaints/" + id + "/assignment",
                        "{\"assignee\":\"mo\",\"level\":\"MANAGER\",\"briefing\":\"taken by the manager\"}")
                .statusCode(200);
        Api.awaitEvents(id, 2);
        CaseEvent lower = escalation(id, EscalationLevel.SUPERVISOR, UUID.randomUUID());
        CaseEvent same = escalation(id, EscalationLevel.MANAGER, UUID.randomUUID());
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, lower);
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, same);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> processed(same.id()) && processed(lower.id()));
        given().get("/complaints/" + id).then().body("level", is("MANAGER")).body("assignee", is("mo"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        count("SELECT count(*) FROM outbox WHERE record_key = ? AND sent_at IS NULL", id.toString())
                                == 0);
        assertEquals(
                List.of("redress.complaint.received", "redress.case.assigned"),
                Api.types(Api.awaitEvents(id, 2)),
                "no case.assigned: neither demoted nor taken from its owner");
    }

    boolean processed(UUID eventId) throws SQLException {
        return count("SELECT count(*) FROM processed_event WHERE event_id = ?", eventId) == 1;
    }

    long count(String sql, Object param) throws SQLException {
        return Rows.count(dataSource, sql, param);
    }

    static CaseEvent followup(UUID caseId, UUID followupId, boolean satisfied, String feedback) {
        return CaseEvent.create(
                "/followup-service",
                FOLLOWUP_SERVICE,
                "C-x",
                new FollowupCompleted(
                        followupId, caseId, reference(caseId), "SATISFACTION", satisfied, satisfied ? 5 : 1, feedback),
                null,
                null);
    }

    /**
     * A follow-up is applied once even when it comes back after the case was resolved again (a
     * redelivery after a rebalance, or a replay from the start of the topic): only the ledger
     * stops it then, because the case is in a state it reopens from.
     */
    @Test
    void dissatisfiedFollowupReopensOnceEvenWhenRedeliveredAfterTheCaseIsResolvedAgain() {
        UUID id = Api.newCase(Api.newCustomer());
        String c = "/complaints/" + id;
        Api.post(c + "/resolution", Api.resolution("refunded")).statusCode(200);
        UUID firstSurvey = UUID.randomUUID();
        CaseEvent unhappy = followup(id, firstSurvey, false, "refund never arrived");
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, unhappy);
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, unhappy);
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, followup(id, UUID.randomUUID(), true, null));
        awaitCase(c, "status", "REOPENED");

        // The agent works the case and resolves it again; then the first survey comes back.
        Api.post(c + "/status", "{\"status\":\"IN_PROGRESS\"}").statusCode(200);
        Api.post(c + "/resolution", Api.resolution("refund sent again, confirmed by the bank"))
                .statusCode(200);
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, unhappy);
        // A later, different survey on the same partition: it is applied after the redelivery, so
        // once its reopening is on the topic, the redelivery was consumed before it.
        UUID secondSurvey = UUID.randomUUID();
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, followup(id, secondSurvey, false, "still waiting"));

        List<CaseEvent> events = Api.awaitEvents(id, 6);
        assertEquals(
                List.of(
                        "redress.complaint.received",
                        "redress.case.resolved",
                        "redress.case.reopened",
                        "redress.case.status-changed",
                        "redress.case.resolved",
                        "redress.case.reopened"),
                Api.types(events));
        CaseReopened first = EventCodec.payload(events.get(2), CaseReopened.class);
        assertEquals(firstSurvey, first.followupId());
        assertTrue(first.reason().contains("refund never arrived"));
        assertEquals(unhappy.id(), events.get(2).causationid());
        assertEquals(
                secondSurvey,
                EventCodec.payload(events.get(5), CaseReopened.class).followupId(),
                "the second reopening is the second survey's, not the first survey again");
        given().get(c).then().body("status", is("REOPENED")).body("reopenCount", is(2));
        assertEquals(1, ledgerRows(unhappy), "the follow-up is in the ledger once");
    }

    @Test
    void missedPromiseIsRecordedOnceOnThePromiseAndTheCase() throws Exception {
        UUID id = Api.newCase(Api.newCustomer());
        String due = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        String promiseId = Api.post(
                        "/complaints/" + id + "/interactions",
                        "{\"kind\":\"EXPECTATION_SET\",\"text\":\"Call back in an hour\",\"dueAt\":\"" + due + "\"}")
                .statusCode(201)
                .extract()
                .path("promiseId");
        PromiseMissed payload = new PromiseMissed(id, reference(id), UUID.fromString(promiseId), Instant.parse(due));
        CaseEvent missed = CaseEvent.create("/followup-service", FOLLOWUP_SERVICE, "C-x", payload, null, null);
        for (int i = 0; i < 3; i++) {
            Api.KAFKA.send(Topics.CASE_FOLLOWUPS, missed);
        }
        // followup-service reporting the same promise again, as a new event: the promise counts once.
        Api.KAFKA.send(
                Topics.CASE_FOLLOWUPS,
                CaseEvent.create("/followup-service", FOLLOWUP_SERVICE, "C-x", payload, null, null));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/complaints/" + id + "/promises").then().body("[0].status", is("MISSED")));
        // A later, different event on the same partition (case.followups, keyed by the case):
        // once its reopening is on the topic, every copy before it was consumed.
        Api.post("/complaints/" + id + "/resolution", Api.resolution("called back late"))
                .statusCode(200);
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, followup(id, UUID.randomUUID(), false, "late call"));
        List<CaseEvent> events = Api.awaitEvents(id, 6);
        assertEquals(
                List.of(
                        "redress.complaint.received",
                        "redress.interaction.recorded",
                        "redress.promise.made",
                        "redress.case.status-changed",
                        "redress.case.resolved",
                        "redress.case.reopened"),
                Api.types(events));
        given().get("/complaints/" + id).then().body("missedPromises", is(1));
        // The promise's own state already refuses a second count, so only the ledger shows that
        // the copies were skipped as duplicates rather than applied and ignored.
        assertEquals(1, ledgerRows(missed), "the redelivered promise.missed is in the ledger once");
        // Kept late: both facts stay on record.
        Api.post("/complaints/" + id + "/promises/" + promiseId + "/kept", "")
                .statusCode(200)
                .body("status", is("KEPT"))
                .body("missedAt", notNullValue());
    }

    /**
     * Most of {@code case.followups} (follow-ups scheduled, deadline warnings) changes nothing in
     * intake: those records cost no transaction and leave no ledger row. Before, each was a
     * transaction of its own with a ledger insert, committed and flushed to disk for nothing.
     */
    @Test
    void recordsOfTypesIntakeDoesNotActOnLeaveNoLedgerRow() {
        UUID id = Api.newCase(Api.newCustomer());
        Instant due = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        CaseEvent scheduled = CaseEvent.create(
                "/followup-service",
                FOLLOWUP_SERVICE,
                "C-x",
                new FollowupScheduled(UUID.randomUUID(), id, reference(id), "SATISFACTION", due, null),
                null,
                null);
        CaseEvent warning = CaseEvent.create(
                "/followup-service",
                FOLLOWUP_SERVICE,
                "C-x",
                new DeadlineWarning(UUID.randomUUID(), id, reference(id), "FINAL_RESPONSE", "DEFAULT", due),
                null,
                null);
        // A record intake does act on, after them on the same partition (keyed by the case): once it
        // is applied, the two before it were read.
        CaseEvent satisfied = followup(id, UUID.randomUUID(), true, "thanks");
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, scheduled);
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, warning);
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, satisfied);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ledgerRows(satisfied) == 1);
        assertEquals(0, ledgerRows(scheduled), "followup.scheduled changes nothing here and is not recorded");
        assertEquals(0, ledgerRows(warning), "deadline.warning changes nothing here and is not recorded");
        given().get("/complaints/" + id).then().body("status", is("OPEN"));
    }

    /** How many times intake's ledger recorded this event as applied. */
    long ledgerRows(CaseEvent event) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM processed_event WHERE consumer = 'intake-service' AND event_id = ?")) {
            ps.setObject(1, event.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Another producer's well-formed envelope may carry U+0000 in any string (PITFALLS 20), which
     * a PostgreSQL text column refuses: the escalation and the follow-up are still applied (the
     * character kept as U+FFFD where intake copies it into a column), not dead-lettered.
     */
    @Test
    void aNulCharacterInAnEscalationOrAFollowupIsAppliedNotDeadLettered() {
        UUID id = Api.newCase(Api.newCustomer());
        String c = "/complaints/" + id;
        Api.KAFKA.send(
                Topics.CASE_ESCALATIONS,
                fromEscalationService(
                        "C-x\u0000",
                        EscalationRaised.builder()
                                .escalationId(UUID.randomUUID())
                                .caseId(id)
                                .reference(reference(id) + "\u0000")
                                .level(EscalationLevel.TEAM_LEAD)
                                .previousLevel(EscalationLevel.AGENT)
                                .severity(Severity.HIGH)
                                .reason("tone\u0000rising")
                                .ruleId("tone-\u0000rising")
                                .ruleVersion(2)
                                .briefing("Customer went\u0000 from UPSET to ANGRY")
                                .build()));
        awaitCase(c, "level", "TEAM_LEAD");

        Api.post(c + "/resolution", Api.resolution("refunded")).statusCode(200);
        Api.KAFKA.send(Topics.CASE_FOLLOWUPS, followup(id, UUID.randomUUID(), false, "never\u0000 arrived"));
        awaitCase(c, "status", "REOPENED");
        assertTrue(Api.KAFKA
                .readAll(Topics.dlq(Topics.CASE_ESCALATIONS), r -> id.toString().equals(r.key()))
                .isEmpty());
        assertTrue(Api.KAFKA
                .readAll(Topics.dlq(Topics.CASE_FOLLOWUPS), r -> id.toString().equals(r.key()))
                .isEmpty());
    }

    @Test
    void anEscalationOfAnUnknownCaseIsDeadLetteredNotRetriedForEver() {
        UUID unknown = UUID.randomUUID();
        CaseEvent orphan =
                fromEscalationService("C-x", plainEscalation(unknown, "CMP-2026-999999", EscalationLevel.TEAM_LEAD));
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, orphan);
        UUID known = Api.newCase(Api.newCustomer());
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, escalation(known, EscalationLevel.TEAM_LEAD, UUID.randomUUID()));
        List<KafkaTestClient.Received> dead = deadLetters(unknown, l -> !l.isEmpty());
        assertTrue(
                dead.get(0).headers().get("dead-letter-reason").contains(unknown.toString()),
                dead.get(0).headers().toString());
        awaitCase("/complaints/" + known, "level", "TEAM_LEAD");
    }

    @Test
    void poisonRecordsAreDeadLetteredAndLaterRecordsStillFlow() {
        UUID id = Api.newCase(Api.newCustomer());
        String poisonKey = "poison-" + UUID.randomUUID();
        Api.KAFKA.send(
                Topics.CASE_ESCALATIONS,
                id.toString(),
                "{not json at all " + poisonKey,
                Map.of("content-type", "application/cloudevents+json; charset=UTF-8"));
        String newer = EventCodec.encode(escalation(id, EscalationLevel.TEAM_LEAD, UUID.randomUUID()))
                .replace("redress:escalation.raised/1", "redress:escalation.raised/9");
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, id.toString(), newer);
        CaseEvent unknownType = fromEscalationService("C-x", plainEscalation(id, "CMP", EscalationLevel.MANAGER));
        String futureType = EventCodec.encode(unknownType)
                .replace("redress.escalation.raised", "redress.escalation.snoozed")
                .replace("redress:escalation.raised/1", "redress:escalation.snoozed/1");
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, id.toString(), futureType);
        Api.KAFKA.send(Topics.CASE_ESCALATIONS, escalation(id, EscalationLevel.SUPERVISOR, UUID.randomUUID()));

        awaitCase("/complaints/" + id, "level", "SUPERVISOR");
        List<KafkaTestClient.Received> dead = deadLetters(id, l -> l.size() >= 2);
        assertEquals(2, dead.size(), "the bad JSON and the unknown version; the unknown type is skipped");
        assertTrue(dead.get(0).value().contains(poisonKey));
        assertTrue(dead.get(1).value().contains("escalation.raised/9"));
        for (KafkaTestClient.Received d : dead) {
            assertEquals(Topics.CASE_ESCALATIONS, d.headers().get("dead-letter-topic"));
            assertTrue(
                    d.headers().get("dead-letter-reason") != null, d.headers().toString());
        }
        assertEquals(List.of("redress.complaint.received", "redress.case.assigned"), Api.types(Api.awaitEvents(id, 2)));
    }
}
