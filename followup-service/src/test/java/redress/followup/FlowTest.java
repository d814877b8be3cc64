package redress.followup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.Direction;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseClosed;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineCorrected;
import redress.events.payload.EscalationAcknowledged;
import redress.events.payload.EscalationRaised;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.FollowupDue;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseCorrected;
import redress.events.payload.PromiseMade;
import redress.events.payload.PromiseMissed;
import redress.followup.calendar.CalendarHorizons;

/**
 * Each flow end to end through real Kafka and PostgreSQL: events in on {@code case.events} and
 * {@code case.escalations}, the clock moved, the waker run, events out on {@code case.followups}.
 * The DEMO profile runs on the ALWAYS calendar, so working time is wall time there.
 */
@QuarkusTest
@TestSecurity(user = "ana", roles = "agent")
class FlowTest extends Flows {

    @Inject
    CalendarHorizons horizons;

    @Inject
    MeterRegistry registry;

    static Map<String, Object> deadline(UUID caseId, String kind) {
        return deadlines(caseId).stream()
                .filter(d -> kind.equals(d.get("kind")))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    /** The case escalated from {@code from} to {@code to} at {@code t}. */
    static CaseEvent escalated(TestCase c, Instant t, UUID escalationId, EscalationLevel from, EscalationLevel to) {
        return c.at(
                t,
                EscalationRaised.builder()
                        .escalationId(escalationId)
                        .caseId(c.id)
                        .reference(c.reference)
                        .level(to)
                        .previousLevel(from)
                        .severity(Severity.HIGH)
                        .reason("test")
                        .ruleId("r")
                        .ruleVersion(1)
                        .briefing("briefing")
                        .build());
    }

    /** {@code GET /followups} of the case. */
    static JsonPath followupsOf(UUID caseId) {
        return given().queryParam("caseId", caseId.toString())
                .get("/followups")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static ValidatableResponse postOutcome(String followupId, String json) {
        return given().contentType(ContentType.JSON)
                .body(json)
                .post("/followups/{id}/outcome", followupId)
                .then();
    }

    @Test
    void aDeadlineWarnsThenBreachesOnceEach() throws Exception {
        Instant t0 = Instant.parse("2026-06-01T10:00:00Z");
        TestCase c = receivedCase(t0, "DEMO");
        Map<String, Object> ack = deadline(c.id, "FINAL_RESPONSE");
        Instant due = instant(ack, "dueAt");
        assertEquals("PENDING", ack.get("status"));
        long allowed = Duration.between(t0, due).toMillis();

        wakeAt(t0.plusMillis(allowed * 55 / 100), c.id);
        assertEquals(1, warnings(c.id, "FINAL_RESPONSE").size(), "warned at 50%");
        wakeAt(t0.plusMillis(allowed * 60 / 100), c.id);
        assertEquals(1, warnings(c.id, "FINAL_RESPONSE").size(), "not again before 80%");
        assertEquals("WARNED", deadline(c.id, "FINAL_RESPONSE").get("status"));

        wakeAt(due.plusSeconds(1), c.id);
        wakeAt(due.plusSeconds(30), c.id);
        List<CaseEvent> breaches = breaches(c.id, "FINAL_RESPONSE");
        assertEquals(1, breaches.size(), "breached once");
        DeadlineBreached b = payload(breaches.get(0));
        assertEquals(due, b.dueAt());
        assertEquals("DEMO", b.profile());
        assertEquals(c.customer, breaches.get(0).customerid());
        assertEquals("/followup-service", breaches.get(0).source());
        assertEquals("BREACHED", deadline(c.id, "FINAL_RESPONSE").get("status"));
    }

    @Test
    void afterAnOutageOnlyTheLatestStageFires() throws Exception {
        Instant t0 = Instant.parse("2026-06-02T10:00:00Z");
        TestCase c = receivedCase(t0, "DEMO");
        Instant due = instant(deadline(c.id, "FINAL_RESPONSE"), "dueAt");
        wakeAt(due.plusSeconds(3600), c.id);
        assertTrue(followups(c.id, "deadline.warning").isEmpty(), "no warning after its breach");
        assertEquals(1, breaches(c.id, "FINAL_RESPONSE").size());
    }

    @Test
    void meetingADeadlineStopsItAndDuplicatesScheduleNothingTwice() throws Exception {
        Instant t0 = Instant.parse("2026-06-03T10:00:00Z");
        TestCase c = newCaseAt(t0);
        CaseEvent received = c.received(t0, "DEMO");
        send(received, received);
        CaseEvent ack = c.acknowledged(t0.plusSeconds(2));
        send(ack, ack);
        List<Map<String, Object>> all = deadlines(c.id);
        assertEquals(all.stream().map(d -> d.get("kind")).distinct().count(), all.size(), "one of each kind: " + all);
        assertEquals("MET", deadline(c.id, "ACKNOWLEDGEMENT").get("status"));
        wakeAt(t0.plus(Duration.ofDays(1)), c.id);
        assertTrue(breaches(c.id, "ACKNOWLEDGEMENT").isEmpty());
    }

    @Test
    void aPausableClockStopsWhileAwaitingTheCustomerAndARegulatorsNever() throws Exception {
        Instant t0 = Instant.parse("2026-06-04T10:00:00Z");
        TestCase demo = newCaseAt(t0);
        send(demo.received(t0, "DEMO"), demo.status(t0.plusSeconds(5), CaseStatus.OPEN, CaseStatus.AWAITING_CUSTOMER));
        Map<String, Object> paused = deadline(demo.id, "FINAL_RESPONSE");
        assertEquals("PAUSED", paused.get("status"));
        Instant dueBefore = instant(paused, "dueAt");
        wakeAt(dueBefore.plusSeconds(600), demo.id);
        assertTrue(breaches(demo.id, "FINAL_RESPONSE").isEmpty(), "paused: no breach");
        send(demo.status(t0.plusSeconds(65), CaseStatus.AWAITING_CUSTOMER, CaseStatus.IN_PROGRESS));
        Map<String, Object> resumed = deadline(demo.id, "FINAL_RESPONSE");
        assertEquals(dueBefore.plusSeconds(60), instant(resumed, "dueAt"), "moved on by the 60 s paused");

        TestCase uk = new TestCase();
        Instant t1 = Instant.parse("2026-06-04T09:00:00Z");
        send(
                uk.received(t1, "UK_FCA_DISP"),
                uk.status(t1.plusSeconds(60), CaseStatus.OPEN, CaseStatus.AWAITING_CUSTOMER));
        Map<String, Object> fca = deadline(uk.id, "FINAL_RESPONSE");
        assertEquals("PENDING", fca.get("status"), "a regulator's clock never pauses");
        assertFalse((Boolean) fca.get("paused"));
        // Received Thursday 4 June 2026 10:00 London: the end of 8 weeks is the end of Thursday 30 July, London time.
        assertEquals(Instant.parse("2026-07-30T23:00:00Z"), instant(fca, "dueAt"));
    }

    @Test
    void aWindowThatIsOnlyMetOrMissedIsNeverBreached() throws Exception {
        Instant t0 = Instant.parse("2026-06-08T09:00:00Z");
        TestCase uk = receivedCase(t0, "UK_FCA_DISP");
        Map<String, Object> window = deadline(uk.id, "SUMMARY_RESOLUTION");
        Instant due = instant(window, "dueAt");
        wakeAt(due.plusSeconds(1), uk.id);
        assertEquals("MISSED", deadline(uk.id, "SUMMARY_RESOLUTION").get("status"));
        assertTrue(breaches(uk.id, "SUMMARY_RESOLUTION").isEmpty());
    }

    @Test
    void aPromiseNotKeptIsMissedOnceAndAKeptOneNever() throws Exception {
        Instant t0 = Instant.parse("2026-06-05T10:00:00Z");
        TestCase c = newCaseAt(t0);
        UUID missed = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        CaseEvent made = c.promiseMade(t0, missed, "Call back by noon", t0.plusSeconds(7200));
        send(
                c.received(t0, "DEMO"),
                made,
                made,
                c.promiseMade(t0, kept, "Refund in an hour", t0.plusSeconds(3600)),
                c.promiseKept(t0.plusSeconds(60), kept, t0.plusSeconds(3600)));
        wakeAt(t0.plusSeconds(7199), c.id);
        assertTrue(followups(c.id, "promise.missed").isEmpty(), "not before its due time");
        wakeAt(t0.plusSeconds(7201), c.id);
        wakeAt(t0.plusSeconds(9000), c.id);
        List<CaseEvent> misses = followups(c.id, "promise.missed");
        assertEquals(1, misses.size());
        PromiseMissed m = payload(misses.get(0));
        assertEquals(missed, m.promiseId());
        assertEquals(t0.plusSeconds(7200), m.dueAt());
    }

    @Test
    void aSatisfactionFollowupComesDueAndADissatisfiedOutcomeIsPublished() throws Exception {
        Instant t0 = Instant.parse("2026-06-06T10:00:00Z");
        TestCase c = newCaseAt(t0);
        send(c.received(t0, "DEMO"), c.resolved(t0.plusSeconds(10)));
        assertEquals(1, followups(c.id, "followup.scheduled").size());
        Map<String, Object> f = followupsOf(c.id).getMap("items[0]");
        assertEquals("SCHEDULED", f.get("state"));
        String id = (String) f.get("id");
        postOutcome(id, "{\"reached\":true,\"satisfied\":false}")
                .statusCode(409)
                .contentType("application/problem+json");

        wakeAt(instant(f, "dueAt").plusSeconds(1), c.id);
        List<CaseEvent> due = followups(c.id, "followup.due");
        assertEquals(1, due.size());
        assertEquals("SATISFACTION", ((FollowupDue) payload(due.get(0))).kind());
        assertTrue(given().queryParam("status", "DUE")
                .queryParam("caseId", c.id.toString())
                .get("/followups")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.id")
                .contains(id));

        postOutcome(id, "{\"reached\":true}").statusCode(400).contentType("application/problem+json");
        postOutcome(id, "{\"reached\":true,\"satisfied\":false,\"rating\":7}")
                .statusCode(400)
                .contentType("application/problem+json");
        postOutcome(id, "{\"reached\":true,\"satisfied\":false,\"rating\":2,\"feedback\":\"Still charged twice\"}")
                .statusCode(200);
        awaitUntil(() -> followups(c.id, "followup.completed").size() == 1);
        CaseEvent completed = followups(c.id, "followup.completed").get(0);
        FollowupCompleted outcome = payload(completed);
        assertEquals(Boolean.FALSE, outcome.satisfied());
        assertEquals(2, outcome.rating());
        assertEquals("Still charged twice", outcome.feedback());
        assertEquals("ana", completed.actorid());
        postOutcome(id, "{\"reached\":true,\"satisfied\":true}").statusCode(409);
    }

    @Test
    void noOutcomeMeansAReminderThenNoResponse() throws Exception {
        Instant t0 = Instant.parse("2026-06-07T10:00:00Z");
        TestCase c = newCaseAt(t0);
        send(c.received(t0, "DEMO"), c.resolved(t0));
        Map<String, Object> f = followupsOf(c.id).getMap("items[0]");
        wakeAt(instant(f, "dueAt"), c.id);
        wakeAt(instant(f, "remindAt"), c.id);
        wakeAt(instant(f, "remindAt").plusMillis(10), c.id);
        List<String> kinds = followups(c.id, "followup.due").stream()
                .map(e -> ((FollowupDue) payload(e)).kind())
                .toList();
        assertEquals(List.of("SATISFACTION", "REMINDER"), kinds);
        wakeAt(instant(f, "respondBy"), c.id);
        assertEquals(
                "NO_RESPONSE",
                given().get("/followups/{id}", f.get("id"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("state"));
        List<CaseEvent> completed = followups(c.id, "followup.completed");
        assertEquals(1, completed.size());
        assertNull(((FollowupCompleted) payload(completed.get(0))).satisfied(), "no verdict: intake changes nothing");
    }

    @Test
    void reopeningCancelsTheFollowupAndReArmsTheFinalResponse() throws Exception {
        Instant t0 = Instant.parse("2026-06-09T10:00:00Z");
        TestCase c = newCaseAt(t0);
        send(c.received(t0, "DEMO"), c.resolved(t0.plusSeconds(5)), c.reopened(t0.plusSeconds(8)));
        assertEquals("CANCELLED", followupsOf(c.id).getString("items[0].state"));
        List<Map<String, Object>> finals = finalResponses(c.id);
        assertEquals(List.of("MET", "PENDING"), statuses(finals));
        assertEquals(t0.plusSeconds(8), instant(finals.get(1), "startedAt"));
    }

    private static List<Map<String, Object>> finalResponses(UUID caseId) {
        return deadlines(caseId).stream()
                .filter(d -> "FINAL_RESPONSE".equals(d.get("kind")))
                .toList();
    }

    @Test
    void aResponseSentBeforeAReopeningDoesNotMeetTheClockTheReopeningStarted() throws Exception {
        Instant t0 = Instant.parse("2026-06-09T14:00:00Z");
        TestCase c = newCaseAt(t0);
        // DEMO's final response: met by a resolution, started again by a reopening.
        send(
                c.received(t0, "DEMO"),
                c.resolved(t0.plusSeconds(5)),
                c.reopened(t0.plusSeconds(8)),
                // Resolved again, by the account of another producer, at a time before the reopening.
                c.resolved(t0.plusSeconds(10), t0.plusSeconds(6)));
        assertEquals(List.of("MET", "PENDING"), statuses(finalResponses(c.id)));
        // Resolved at a time after the reopening: met.
        send(c.resolved(t0.plusSeconds(12), t0.plusSeconds(11)));
        List<Map<String, Object>> finals = finalResponses(c.id);
        assertEquals(List.of("MET", "MET"), statuses(finals));
        assertEquals(t0.plusSeconds(11), instant(finals.get(1), "metAt"));
    }

    @Test
    void anEscalationMustBeAcknowledgedInTime() throws Exception {
        Instant t0 = Instant.parse("2026-06-10T10:00:00Z");
        TestCase c = newCaseAt(t0);
        UUID answered = UUID.randomUUID();
        UUID ignored = UUID.randomUUID();
        send(
                c.received(t0, "DEMO"),
                escalated(c, t0, answered, EscalationLevel.AGENT, EscalationLevel.TEAM_LEAD),
                escalated(c, t0, ignored, EscalationLevel.TEAM_LEAD, EscalationLevel.SUPERVISOR),
                c.at(
                        t0.plusSeconds(30),
                        new EscalationAcknowledged(answered, c.id, c.reference, EscalationLevel.TEAM_LEAD, "lead")));
        List<Map<String, Object>> responses = deadlines(c.id).stream()
                .filter(d -> "ESCALATION_RESPONSE".equals(d.get("kind")))
                .toList();
        assertEquals(2, responses.size());
        Map<String, Object> met = responses.stream()
                .filter(d -> answered.toString().equals(d.get("escalationId")))
                .findFirst()
                .orElseThrow();
        assertEquals("MET", met.get("status"));
        Instant due = instant(responses.get(1), "dueAt");
        wakeAt(due.plusSeconds(1), c.id);
        assertEquals(1, breaches(c.id, "ESCALATION_RESPONSE").size());
    }

    @Test
    void aWatchHasNoResponseDeadline() throws Exception {
        Instant t0 = Instant.parse("2026-06-10T10:00:00Z");
        TestCase c = newCaseAt(t0);
        UUID watch = UUID.randomUUID();
        UUID handOver = UUID.randomUUID();
        send(
                c.received(t0, "DEMO"),
                c.at(
                        t0.plusSeconds(5),
                        EscalationRaised.builder()
                                .escalationId(watch)
                                .caseId(c.id)
                                .reference(c.reference)
                                .level(EscalationLevel.TEAM_LEAD)
                                .previousLevel(EscalationLevel.AGENT)
                                .severity(Severity.HIGH)
                                .reason("tone")
                                .ruleId("tone-rising")
                                .ruleVersion(2)
                                .briefing("briefing")
                                .action(EscalationAction.WATCH)
                                .build()),
                // An escalation.raised without an action (written before actions existed) is a hand-over.
                escalated(c, t0.plusSeconds(10), handOver, EscalationLevel.TEAM_LEAD, EscalationLevel.SUPERVISOR));
        List<Map<String, Object>> responses = deadlines(c.id).stream()
                .filter(d -> "ESCALATION_RESPONSE".equals(d.get("kind")))
                .toList();
        assertEquals(
                List.of(handOver.toString()),
                responses.stream().map(d -> d.get("escalationId")).toList(),
                "the hand-over's response is due, the watch's is not: " + responses);
        wakeAt(t0.plus(java.time.Duration.ofDays(30)), c.id);
        assertEquals(1, breaches(c.id, "ESCALATION_RESPONSE").size(), "one breach, the hand-over's");
    }

    @Test
    void poisonRecordsAreDeadLetteredAndLaterRecordsStillFlow() throws Exception {
        TestCase c = new TestCase();
        String poison = "poison-" + UUID.randomUUID();
        KAFKA.send(Topics.CASE_EVENTS, c.id.toString(), "{not json " + poison);
        CaseEvent wrongSubject = c.at(
                Instant.now(),
                new PromiseMade(
                        UUID.randomUUID(), c.reference, UUID.randomUUID(), UUID.randomUUID(), "x", Instant.now()));
        KAFKA.send(
                Topics.CASE_EVENTS,
                c.id.toString(),
                EventCodec.encode(wrongSubject)
                        .replace("\"subject\":\"" + wrongSubject.subject() + "\"", "\"subject\":\"" + c.id + "\""));
        Instant t0 = Instant.parse("2026-06-11T10:00:00Z");
        send(c.received(t0, "DEMO"));
        assertEquals(3, deadlines(c.id).size(), "the case after the poison records was scheduled");
        awaitUntil(() -> KAFKA.readAll(
                                Topics.CASE_EVENTS + ".dlq",
                                r -> r.value().contains(poison)
                                        || r.value().contains(wrongSubject.id().toString()))
                        .size()
                == 2);
    }

    @Test
    void anOutboundContactMeetsTheFirstResponse() throws Exception {
        Instant t0 = Instant.parse("2026-06-12T10:00:00Z");
        TestCase c = newCaseAt(t0);
        send(
                c.received(t0, "DEMO"),
                c.at(
                        t0.plusSeconds(3),
                        new InteractionRecorded(
                                c.id,
                                c.reference,
                                UUID.randomUUID(),
                                InteractionKind.CUSTOMER_CONTACT,
                                "Called back",
                                Direction.OUTBOUND,
                                Channel.PHONE,
                                null,
                                null,
                                null,
                                t0.plusSeconds(3),
                                null,
                                null,
                                null)));
        assertEquals("MET", deadline(c.id, "FIRST_RESPONSE").get("status"));
    }

    @Test
    @TestSecurity(
            user = "rae",
            roles = {"rules-admin", "agent"})
    void aCalendarEditRecomputesPendingDeadlinesAndACaseKeepsItsProfileVersion() throws Exception {
        String suffix = uniqueSuffix();
        String calendar = "RECOMPUTE-" + suffix;
        String profile = "RECOMPUTE_" + suffix;
        putWeekdayCalendar(calendar);
        String definition = """
                {"calendar":"%s","deadlines":[{"kind":"FINAL_RESPONSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":%d},
                 "pausable":false,"warnAt":[0.5],"breachable":true,"metBy":"RESOLVED"}],"followup":{"delay":"PT1H","window":"PT8H"}}""";
        given().contentType(ContentType.JSON)
                .body(definition.formatted(calendar, 3))
                .put("/profiles/" + profile)
                .then()
                .statusCode(201);

        // Received Monday 15 June 2026 10:00 London: the close of the third business day after is Thursday 18th 17:00
        // BST.
        Instant t0 = Instant.parse("2026-06-15T09:00:00Z");
        TestCase c = newCaseAt(t0);
        send(c.received(t0, profile));
        assertEquals(Instant.parse("2026-06-18T16:00:00Z"), instant(deadline(c.id, "FINAL_RESPONSE"), "dueAt"));

        // A new version of the profile applies to cases received from now on, not to this one.
        given().contentType(ContentType.JSON)
                .body(definition.formatted(calendar, 5))
                .put("/profiles/" + profile)
                .then()
                .statusCode(200)
                .body("version", org.hamcrest.Matchers.is(2));
        TestCase later = new TestCase();
        send(later.received(t0, profile));
        assertEquals(Instant.parse("2026-06-22T16:00:00Z"), instant(deadline(later.id, "FINAL_RESPONSE"), "dueAt"));
        assertEquals(1, deadline(c.id, "FINAL_RESPONSE").get("profileVersion"));
        assertEquals(2, deadline(later.id, "FINAL_RESPONSE").get("profileVersion"));

        // Wednesday becomes a holiday: the pending deadline moves to Friday, at once.
        given().contentType("text/calendar")
                .body(officeClosed("20260617"))
                .post("/calendars/" + calendar + "/holidays")
                .then()
                .statusCode(200);
        assertEquals(Instant.parse("2026-06-19T16:00:00Z"), instant(deadline(c.id, "FINAL_RESPONSE"), "dueAt"));
        assertEquals(Instant.parse("2026-06-23T16:00:00Z"), instant(deadline(later.id, "FINAL_RESPONSE"), "dueAt"));

        // Its holidays are known through 2026 only (the one imported): a due time in 2027 was computed as if 2027
        // had none, and says so.
        given().get("/calendars/" + calendar)
                .then()
                .statusCode(200)
                .body("holidaysKnownThrough", org.hamcrest.Matchers.is("2026-12-31"));
        assertEquals(false, deadline(c.id, "FINAL_RESPONSE").get("provisional"));
        Instant yearEnd = Instant.parse("2026-12-30T10:00:00Z");
        TestCase next = newCaseAt(yearEnd);
        send(next.received(yearEnd, profile));
        assertEquals(Instant.parse("2027-01-06T17:00:00Z"), instant(deadline(next.id, "FINAL_RESPONSE"), "dueAt"));
        assertEquals(true, deadline(next.id, "FINAL_RESPONSE").get("provisional"));
        // One day of known holidays ahead of 30 December 2026: the gauge says so (and the log warns).
        assertEquals(1L, horizons.check().get(calendar));
        assertEquals(
                1.0,
                registry.find("redress_followup_calendar_holidays_ahead_days")
                        .tag("calendar", calendar)
                        .gauge()
                        .value());
    }

    /*
     * Never a breach for an unread past (PITFALLS 19). The cases below are stamped in 2031, later
     * than any other test's events (and the held one later than the corrected one), so no other
     * record read on the same partition carries its event-time watermark past their due times.
     */

    @Test
    void nothingIsFiredWhileAnUnreadRecordCouldStillMeetIt() throws Exception {
        Instant t0 = Instant.parse("2031-06-02T10:00:00Z");
        TestCase c = receivedCase(t0, "DEMO");
        Instant due = instant(deadline(c.id, "ACKNOWLEDGEMENT"), "dueAt");
        CaseEvent ack = c.acknowledged(t0.plusSeconds(1));
        // The consumer is held on the acknowledgement (the test holds the case's row), as a consumer
        // that is paused, restarting or behind: the record is on the topic, not yet applied.
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement lock =
                    held.prepareStatement("SELECT 1 FROM case_state WHERE case_id = ? FOR UPDATE")) {
                lock.setObject(1, c.id);
                lock.executeQuery().close();
            }
            KAFKA.send(Topics.CASE_EVENTS, ack);
            clock.set(due.plusSeconds(30));
            awaitUntil(() -> readThrough.now().map(r -> r.isBefore(due)).orElse(true));
            waker.wakeNow();
            held.rollback();
        }
        awaitUntil(() -> count("SELECT count(*) FROM processed_event WHERE event_id = ?", ack.id()) == 1);
        wakeAt(due.plusSeconds(30), c.id);
        Map<String, Object> met = deadline(c.id, "ACKNOWLEDGEMENT");
        assertEquals("MET", met.get("status"), "not fired ahead of the consumer");
        assertEquals(t0.plusSeconds(1), instant(met, "metAt"));
        assertTrue(breaches(c.id, "ACKNOWLEDGEMENT").isEmpty(), "no breach announced");
        assertTrue(warnings(c.id, "ACKNOWLEDGEMENT").isEmpty(), "no warning either");
    }

    @Test
    void aMeetingEventThatArrivesAfterTheBreachWithdrawsItAndALateKeptPromiseTheMiss() throws Exception {
        Instant t0 = Instant.parse("2031-01-07T10:00:00Z");
        TestCase c = newCaseAt(t0);
        UUID promise = UUID.randomUUID();
        send(c.received(t0, "DEMO"), c.promiseMade(t0, promise, "Call back within a minute", t0.plusSeconds(60)));
        // Nothing met them by what has been read: announced breached and missed.
        wakeAt(t0.plusSeconds(3600), c.id);
        List<CaseEvent> breaches = breaches(c.id, "ACKNOWLEDGEMENT");
        assertEquals(1, breaches.size());
        List<CaseEvent> misses = followups(c.id, "promise.missed");
        assertEquals(1, misses.size());

        // Then the acknowledgement and the kept promise arrive, stamped before their due times (an
        // intake relay held back, an outage upstream).
        CaseEvent ack = c.acknowledged(t0.plusSeconds(1));
        CaseEvent kept = c.promiseKept(t0.plusSeconds(30), promise, t0.plusSeconds(60));
        send(ack, kept, ack);
        awaitUntil(() -> corrections(c.id, "ACKNOWLEDGEMENT").size() == 1
                && followups(c.id, "promise.corrected").size() == 1);

        CaseEvent correction = corrections(c.id, "ACKNOWLEDGEMENT").get(0);
        DeadlineCorrected d = payload(correction);
        assertEquals("ACKNOWLEDGEMENT", d.kind());
        assertEquals("BREACHED", d.withdrawnState());
        assertEquals(breaches.get(0).id(), d.withdrawnEventId(), "names the breach it withdraws");
        assertEquals(t0.plusSeconds(1), d.metAt());
        assertEquals(ack.id(), correction.causationid(), "caused by the late acknowledgement");
        Map<String, Object> met = deadline(c.id, "ACKNOWLEDGEMENT");
        assertEquals("MET", met.get("status"));
        assertEquals(t0.plusSeconds(1), instant(met, "metAt"));

        PromiseCorrected p = payload(followups(c.id, "promise.corrected").get(0));
        assertEquals(promise, p.promiseId());
        assertEquals(misses.get(0).id(), p.withdrawnEventId());
        assertEquals(t0.plusSeconds(30), p.keptAt());
        assertEquals(1, count("SELECT count(*) FROM promise WHERE id = ? AND state = 'KEPT'", promise));

        // A meeting event after the due time withdraws nothing: the FINAL_RESPONSE breach stands.
        assertEquals(1, breaches(c.id, "FINAL_RESPONSE").size());
        send(c.resolved(t0.plusSeconds(7300)));
        wakeAt(t0.plusSeconds(7400), c.id);
        assertEquals("BREACHED", deadline(c.id, "FINAL_RESPONSE").get("status"));
        assertTrue(corrections(c.id, "FINAL_RESPONSE").isEmpty(), "no correction for a deadline met late");
    }

    static List<CaseEvent> corrections(UUID caseId, String kind) {
        return followups(caseId, "deadline.corrected").stream()
                .filter(e -> kind.equals(((DeadlineCorrected) payload(e)).kind()))
                .toList();
    }

    @Test
    void warningsOnAWorkingTimeClockFallAtFractionsOfWorkingTime() throws Exception {
        // Friday 12 June 2026, 16:00 London (BST): DEFAULT's 16 working hours on GB-EAW run to Tuesday 16:00.
        Instant t0 = Instant.parse("2026-06-12T15:00:00Z");
        TestCase c = receivedCase(t0, "DEFAULT");
        assertEquals(Instant.parse("2026-06-16T15:00:00Z"), instant(deadline(c.id, "FIRST_RESPONSE"), "dueAt"));
        // Half of the wall time allowed is Sunday 16:00; half of the working time (8 hours) is Monday 16:00.
        wakeAt(Instant.parse("2026-06-14T15:00:00Z"), c.id);
        assertTrue(warnings(c.id, "FIRST_RESPONSE").isEmpty(), "no warning on a Sunday");
        wakeAt(Instant.parse("2026-06-15T14:59:00Z"), c.id);
        assertTrue(warnings(c.id, "FIRST_RESPONSE").isEmpty(), "not before 8 working hours");
        wakeAt(Instant.parse("2026-06-15T15:00:00Z"), c.id);
        assertEquals(1, warnings(c.id, "FIRST_RESPONSE").size(), "half-way in working time");
        // Four fifths: 12.8 working hours, Tuesday 12:48 London.
        wakeAt(Instant.parse("2026-06-16T11:47:00Z"), c.id);
        assertEquals(1, warnings(c.id, "FIRST_RESPONSE").size());
        wakeAt(Instant.parse("2026-06-16T11:48:00Z"), c.id);
        assertEquals(2, warnings(c.id, "FIRST_RESPONSE").size(), "four fifths in working time");
    }

    @Test
    void aCaseClosedAfterADueTimeTheWakerHadNotReachedIsBreachedFirstNotCancelled() throws Exception {
        Instant t0 = Instant.parse("2031-02-01T10:00:00Z");
        TestCase c = newCaseAt(t0);
        // The consumer reads the closing before the waker looked at the acknowledgement, due 20 s after
        // receipt (it waits for the consumer): the breach is announced, caused by the closing.
        CaseEvent closed = c.at(t0.plusSeconds(60), new CaseClosed(c.id, c.reference, "closed"));
        send(c.received(t0, "DEMO"), closed);
        Map<String, Object> ack = deadline(c.id, "ACKNOWLEDGEMENT");
        assertEquals("BREACHED", ack.get("status"));
        awaitUntil(() -> breaches(c.id, "ACKNOWLEDGEMENT").size() == 1);
        assertEquals(closed.id(), breaches(c.id, "ACKNOWLEDGEMENT").get(0).causationid());
        wakeAt(t0.plusSeconds(3600), c.id);
        assertEquals(1, breaches(c.id, "ACKNOWLEDGEMENT").size(), "announced once");
    }

    @Test
    void aPromiseKeptAfterItsDueTimeIsMissedEvenBeforeTheWakerLooked() throws Exception {
        Instant t0 = Instant.parse("2031-02-02T10:00:00Z");
        TestCase c = newCaseAt(t0);
        UUID promise = UUID.randomUUID();
        CaseEvent kept = c.promiseKept(t0.plusSeconds(90), promise, t0.plusSeconds(60));
        send(c.received(t0, "DEMO"), c.promiseMade(t0, promise, "Call back in a minute", t0.plusSeconds(60)), kept);
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM promise WHERE id = ? AND state = 'MISSED' AND kept_at IS NOT NULL",
                        promise));
        awaitUntil(() -> followups(c.id, "promise.missed").size() == 1);
        assertEquals(kept.id(), followups(c.id, "promise.missed").get(0).causationid());
        wakeAt(t0.plusSeconds(3600), c.id);
        assertEquals(1, followups(c.id, "promise.missed").size(), "missed once");
        assertTrue(followups(c.id, "promise.corrected").isEmpty());
    }

    @Test
    void aCaseWhoseTextsHoldNulFromAnotherProducerIsScheduled() throws Exception {
        // U+0000 is valid JSON but PostgreSQL text refuses it (PITFALLS 20): stored copies take U+FFFD.
        UUID caseId = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-06-15T10:00:00Z");
        clock.set(t0);
        CaseEvent received = CaseEvent.create(
                "/other-producer",
                new Actor(ActorType.INTEGRATION, "x"),
                "C-\u0000" + caseId.toString().substring(0, 4),
                ComplaintReceived.builder()
                        .caseId(caseId)
                        .reference("CMP-\u0000-1")
                        .channel(Channel.WEB)
                        .category("bill\u0000ing")
                        .summary("s\u0000")
                        .severity(Severity.HIGH)
                        .level(EscalationLevel.AGENT)
                        .status(CaseStatus.OPEN)
                        .regulatoryProfile("DEMO")
                        .receivedAt(t0)
                        .registeredAt(t0)
                        .build(),
                null,
                null,
                t0);
        UUID promise = UUID.randomUUID();
        CaseEvent made = CaseEvent.create(
                "/other-producer",
                new Actor(ActorType.INTEGRATION, "x"),
                null,
                new PromiseMade(
                        caseId, "CMP-\u0000-1", promise, UUID.randomUUID(), "Call\u0000 back", t0.plusSeconds(60)),
                null,
                null,
                t0);
        send(received, made);
        assertEquals("PENDING", deadline(caseId, "ACKNOWLEDGEMENT").get("status"));
        assertEquals(1, count("SELECT count(*) FROM promise WHERE id = ? AND text = 'Call\uFFFD back'", promise));
    }

    @Test
    void aDueRowThatCannotBeReadIsSetAsideAndTheOthersStillFire() throws Exception {
        Instant t0 = Instant.parse("2026-06-16T10:00:00Z");
        TestCase c = receivedCase(t0, "DEMO");
        // A stored spec that no longer reads (an older version's, a hand edit).
        try (Connection db = dataSource.getConnection();
                PreparedStatement s = db.prepareStatement(
                        "UPDATE deadline SET spec = '{not json' WHERE case_id = ? AND kind = 'ACKNOWLEDGEMENT'")) {
            s.setObject(1, c.id);
            assertEquals(1, s.executeUpdate());
        }
        wakeAt(t0.plusSeconds(3600), c.id);
        assertEquals(1, breaches(c.id, "FINAL_RESPONSE").size(), "the rows after it still fire");
        Map<String, Object> broken = deadline(c.id, "ACKNOWLEDGEMENT");
        assertEquals("PENDING", broken.get("status"), "set aside as it was");
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM deadline WHERE case_id = ? AND kind = 'ACKNOWLEDGEMENT' AND next_at IS NOT NULL",
                        c.id));
    }
}
