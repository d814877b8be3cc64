package redress.followup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.CaseEvent;
import redress.events.Channel;
import redress.events.Direction;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.payload.CaseClosed;
import redress.events.payload.CustomerNoticeSuggested;
import redress.events.payload.EscalationRaised;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.ProgressUpdateDue;
import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.Calendars;
import redress.followup.profile.ProfileDefinition;
import redress.followup.profile.Profiles;

/**
 * Keeping the customer informed (docs/followup.md): a progress-update reminder due when an open case's
 * customer has heard nothing for the profile's cadence of working days, moved by outbound contact only,
 * ended by resolution, started again by a reopening, announced once; and the customer notice suggested
 * when an escalation hands the case over. Real Kafka and PostgreSQL; the clock is moved.
 */
@QuarkusTest
@TestSecurity(user = "ana", roles = "agent")
class KeepingInformedTest extends Flows {

    @Inject
    Profiles profiles;

    @Inject
    Calendars calendars;

    static List<Map<String, Object>> progressUpdates(UUID caseId) {
        return given().get("/cases/{id}/progress-updates", caseId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    static List<Map<String, Object>> notices(UUID caseId) {
        return given().get("/cases/{id}/customer-notices", caseId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    /** The case's reminder in {@code status}, the only one. */
    static Map<String, Object> reminder(UUID caseId, String status) {
        List<Map<String, Object>> all = progressUpdates(caseId).stream()
                .filter(p -> status.equals(p.get("status")))
                .toList();
        assertEquals(1, all.size(), "one " + status + " reminder: " + progressUpdates(caseId));
        return all.get(0);
    }

    static CaseEvent contact(TestCase c, Instant t, Direction direction) {
        return c.at(
                t,
                new InteractionRecorded(
                        c.id,
                        c.reference,
                        UUID.randomUUID(),
                        InteractionKind.CUSTOMER_CONTACT,
                        "Called about the refund",
                        direction,
                        Channel.PHONE,
                        null,
                        null,
                        null,
                        t,
                        null,
                        null,
                        List.of()));
    }

    static CaseEvent escalation(TestCase c, Instant t, UUID id, EscalationAction action, Instant responseDueAt) {
        return c.at(
                t,
                EscalationRaised.builder()
                        .escalationId(id)
                        .caseId(c.id)
                        .reference(c.reference)
                        .level(EscalationLevel.TEAM_LEAD)
                        .previousLevel(EscalationLevel.AGENT)
                        .severity(Severity.HIGH)
                        .reason("test")
                        .ruleId("r")
                        .ruleVersion(1)
                        .briefing("Mr Smith is angry about his card")
                        .responseDueAt(responseDueAt)
                        .action(action)
                        .build());
    }

    @Test
    void dueAfterFiveWorkingDaysAcrossTheHolidaysAndAnnouncedOnce() throws Exception {
        // Thursday 24 December 2026 15:00 London: Christmas, the weekend, Boxing Day's substitute (Mon 28) and
        // New Year's Day are not working days; the fifth after the 24th is Tuesday 5 January 2027.
        Instant t0 = Instant.parse("2026-12-24T15:00:00Z");
        TestCase c = receivedCase(t0, "UK_FCA_DISP");
        Map<String, Object> pending = reminder(c.id, "PENDING");
        Instant due = Instant.parse("2027-01-05T17:00:00Z");
        assertEquals(due, instant(pending, "dueAt"));
        assertEquals(t0, instant(pending, "lastHeardAt"));
        assertEquals("RECEIPT", pending.get("lastHeardBy"));
        assertEquals(5, pending.get("workingDays"));
        assertEquals(4, pending.get("profileVersion"), "the current version (V8's; the cadence came with V7's)");

        wakeAt(due.minusSeconds(1), c.id);
        assertTrue(followups(c.id, "progress-update.due").isEmpty(), "not before its due time");
        wakeAt(due, c.id);
        wakeAt(due.plusSeconds(3600), c.id);
        List<CaseEvent> announced = followups(c.id, "progress-update.due");
        assertEquals(1, announced.size(), "announced once");
        ProgressUpdateDue d = payload(announced.get(0));
        assertEquals(c.reference, d.reference());
        assertEquals(t0, d.lastHeardAt());
        assertEquals(due, d.dueAt());
        assertEquals(5, d.workingDays());
        assertEquals("UK_FCA_DISP", d.profile());
        assertEquals(c.customer, announced.get(0).customerid());
        Map<String, Object> dueNow = reminder(c.id, "DUE");
        assertEquals(d.reminderId().toString(), dueNow.get("id"));
        assertEquals(announced.get(0).id().toString(), dueNow.get("dueEventId"));
        given().queryParam("caseId", c.id.toString())
                .get("/progress-updates?status=DUE")
                .then()
                .statusCode(200)
                .body("items.caseId", hasItem(c.id.toString()));

        // A redelivered receipt changes nothing (the ledger), and the reminder stays due until someone writes.
        send(c.received(t0, "UK_FCA_DISP"));
        wakeAt(due.plusSeconds(7200), c.id);
        assertEquals(1, followups(c.id, "progress-update.due").size(), "still once");
        assertEquals(1, progressUpdates(c.id).size());
    }

    @Test
    void anOutboundContactMovesItAnInboundOneDoesNotAndTheNextContactSendsADueOne() throws Exception {
        // Monday 7 September 2026 10:00 BST: due at the close of Monday 14th.
        Instant t0 = Instant.parse("2026-09-07T09:00:00Z");
        TestCase c = receivedCase(t0, "UK_FCA_DISP");
        assertEquals(Instant.parse("2026-09-14T16:00:00Z"), instant(reminder(c.id, "PENDING"), "dueAt"));

        send(contact(c, Instant.parse("2026-09-09T10:00:00Z"), Direction.INBOUND));
        assertEquals(
                Instant.parse("2026-09-14T16:00:00Z"),
                instant(reminder(c.id, "PENDING"), "dueAt"),
                "the customer writing to the firm is not the firm keeping them informed");

        Instant called = Instant.parse("2026-09-10T10:00:00Z");
        send(contact(c, called, Direction.OUTBOUND));
        Map<String, Object> moved = reminder(c.id, "PENDING");
        assertEquals(Instant.parse("2026-09-17T16:00:00Z"), instant(moved, "dueAt"), "close of Thursday 17th");
        assertEquals(called, instant(moved, "lastHeardAt"));
        assertEquals("CUSTOMER_CONTACT", moved.get("lastHeardBy"));
        assertEquals(1, progressUpdates(c.id).size(), "moved, not another");

        wakeAt(Instant.parse("2026-09-14T16:00:00Z"), c.id);
        assertTrue(followups(c.id, "progress-update.due").isEmpty(), "the old due time is gone");
        wakeAt(Instant.parse("2026-09-17T16:00:00Z"), c.id);
        assertEquals(1, followups(c.id, "progress-update.due").size());
        String dueId = (String) reminder(c.id, "DUE").get("id");

        Instant holding = Instant.parse("2026-09-18T09:00:00Z");
        CaseEvent reply = c.response(holding, InteractionKind.HOLDING_RESPONSE, null, null);
        send(reply);
        Map<String, Object> sent = reminder(c.id, "SENT");
        assertEquals(dueId, sent.get("id"));
        assertEquals(holding, instant(sent, "sentAt"));
        @SuppressWarnings("unchecked")
        Map<String, Object> by = (Map<String, Object>) sent.get("sentBy");
        assertEquals("HOLDING_RESPONSE", by.get("kind"));
        assertEquals(reply.id().toString(), by.get("eventId"));
        Map<String, Object> next = reminder(c.id, "PENDING");
        assertEquals(holding, instant(next, "lastHeardAt"));
        assertEquals(Instant.parse("2026-09-25T16:00:00Z"), instant(next, "dueAt"), "close of Friday 25th");
    }

    @Test
    void resolutionCancelsItAndAReopeningStartsItAgain() throws Exception {
        Instant t0 = Instant.parse("2026-10-05T09:00:00Z"); // Monday
        TestCase c = receivedCase(t0, "UK_FCA_DISP");
        send(c.resolved(Instant.parse("2026-10-06T09:00:00Z")));
        Map<String, Object> cancelled = reminder(c.id, "CANCELLED");
        assertEquals(Instant.parse("2026-10-06T09:00:00Z"), instant(cancelled, "cancelledAt"));
        wakeAt(Instant.parse("2026-10-20T09:00:00Z"), c.id);
        assertTrue(followups(c.id, "progress-update.due").isEmpty(), "a resolved case's customer is not chased");

        Instant reopened = Instant.parse("2026-10-21T09:00:00Z"); // Wednesday
        send(c.reopened(reopened));
        Map<String, Object> again = reminder(c.id, "PENDING");
        assertEquals(reopened, instant(again, "lastHeardAt"));
        assertEquals("REOPENED", again.get("lastHeardBy"));
        assertEquals(Instant.parse("2026-10-28T17:00:00Z"), instant(again, "dueAt"), "close of Wednesday 28th (GMT)");

        send(c.at(Instant.parse("2026-10-22T09:00:00Z"), new CaseClosed(c.id, c.reference, "withdrawn")));
        assertEquals(
                2,
                progressUpdates(c.id).stream()
                        .filter(p -> "CANCELLED".equals(p.get("status")))
                        .count());
        wakeAt(Instant.parse("2026-11-30T09:00:00Z"), c.id);
        assertTrue(followups(c.id, "progress-update.due").isEmpty());
    }

    @Test
    void aHandOverSuggestsANoticeAWatchDoesNotAndAnOutboundContactSendsIt() throws Exception {
        Instant t0 = Instant.parse("2026-11-02T10:00:00Z"); // Monday, GMT
        TestCase c = receivedCase(t0, "UK_FCA_DISP");
        UUID watch = UUID.randomUUID();
        UUID handOver = UUID.randomUUID();
        CaseEvent raised = escalation(c, t0.plusSeconds(3600), handOver, null, Instant.parse("2026-11-02T15:00:00Z"));
        send(escalation(c, t0.plusSeconds(60), watch, EscalationAction.WATCH, null), raised);

        List<Map<String, Object>> all = notices(c.id);
        assertEquals(1, all.size(), "the hand-over's only: " + all);
        Map<String, Object> n = all.get(0);
        assertEquals(handOver.toString(), n.get("escalationId"));
        assertEquals("SUGGESTED", n.get("status"));
        assertEquals("TEAM_LEAD", n.get("level"));
        assertEquals(
                "Your complaint " + c.reference + " has been passed to our team leader. We are taking your concerns"
                        + " seriously and they will be addressed promptly: you will hear from us by 15:00 on Monday"
                        + " 2 November 2026 (Europe/London time).",
                n.get("text"));
        assertTrue(!((String) n.get("text")).contains("Smith"), "nothing of the briefing");
        given().queryParam("caseId", c.id.toString())
                .get("/customer-notices")
                .then()
                .statusCode(200)
                .body("items.escalationId", hasItem(handOver.toString()));

        awaitUntil(() -> followups(c.id, "customer-notice.suggested").size() == 1);
        CaseEvent suggested = followups(c.id, "customer-notice.suggested").get(0);
        CustomerNoticeSuggested s = payload(suggested);
        assertEquals(n.get("text"), s.text());
        assertEquals(raised.id(), suggested.causationid());

        // Redelivered, the escalation suggests nothing more; a contact before it sends nothing.
        send(raised, contact(c, t0.plusSeconds(1800), Direction.OUTBOUND));
        assertEquals("SUGGESTED", notices(c.id).get(0).get("status"));
        CaseEvent call = contact(c, t0.plusSeconds(7200), Direction.OUTBOUND);
        send(call);
        Map<String, Object> sent = notices(c.id).get(0);
        assertEquals("SENT", sent.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> by = (Map<String, Object>) sent.get("sentBy");
        assertEquals(call.id().toString(), by.get("eventId"));
        assertEquals(1, notices(c.id).size());
        assertEquals(1, followups(c.id, "customer-notice.suggested").size(), "suggested once");
    }

    @Test
    void aProfileVersionWithoutACadenceHasNoReminders() throws Exception {
        String profile =
                "NO_CADENCE_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        ProfileDefinition withCadence = profiles.current("UK_FCA_DISP").definition();
        profiles.save(
                profile,
                new ProfileDefinition(withCadence.calendar(), withCadence.deadlines(), withCadence.followup(), null),
                "test");
        Instant t0 = Instant.parse("2026-06-01T09:00:00Z");
        TestCase c = receivedCase(t0, profile);
        send(contact(c, t0.plusSeconds(3600), Direction.OUTBOUND));
        assertTrue(progressUpdates(c.id).isEmpty(), "no cadence, no reminders: " + progressUpdates(c.id));
        wakeAt(t0.plus(java.time.Duration.ofDays(30)), c.id);
        assertTrue(followups(c.id, "progress-update.due").isEmpty());
    }

    @Test
    void aNewHolidayMovesAPendingReminder() throws Exception {
        // A calendar of its own, so that its holiday touches no other test.
        String name = "KI_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Map<java.time.DayOfWeek, BusinessCalendar.WorkingDay> hours =
                new java.util.EnumMap<>(java.time.DayOfWeek.class);
        for (java.time.DayOfWeek d : java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY)) {
            hours.put(d, BusinessCalendar.WorkingDay.parse("09:00", "17:00"));
        }
        calendars.put(name, java.time.ZoneOffset.UTC, null, hours);
        ProfileDefinition uk = profiles.current("UK_FCA_DISP").definition();
        profiles.save(
                name,
                new ProfileDefinition(
                        name, uk.deadlines(), uk.followup(), new ProfileDefinition.ProgressUpdateSpec(3, null)),
                "test");
        Instant t0 = Instant.parse("2026-06-01T10:00:00Z"); // Monday: due the close of Thursday 4th
        TestCase c = receivedCase(t0, name);
        assertEquals(Instant.parse("2026-06-04T17:00:00Z"), instant(reminder(c.id, "PENDING"), "dueAt"));
        calendars.importHolidays(name, List.of(new Calendars.NewHoliday(java.time.LocalDate.parse("2026-06-03"), "x")));
        assertEquals(
                Instant.parse("2026-06-05T17:00:00Z"),
                instant(reminder(c.id, "PENDING"), "dueAt"),
                "Wednesday is no longer a working day: Friday");
        wakeAt(Instant.parse("2026-06-04T17:00:00Z"), c.id);
        assertTrue(followups(c.id, "progress-update.due").isEmpty(), "not on the old due time");
    }

    @Test
    void badStatusIsA400Problem() {
        given().get("/progress-updates?status=LATE").then().statusCode(400).contentType("application/problem+json");
        given().get("/customer-notices?status=LATE").then().statusCode(400).contentType("application/problem+json");
        given().get("/progress-updates?caseId=nope").then().statusCode(400).contentType("application/problem+json");
        given().get("/customer-notices?limit=201").then().statusCode(400).contentType("application/problem+json");
    }
}
