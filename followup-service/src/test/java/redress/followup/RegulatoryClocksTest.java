package redress.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Topics;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineCorrected;
import redress.testsupport.KafkaTestClient;

/**
 * The regulatory profiles' clocks as the rules have them (issue 27), end to end through real Kafka
 * and PostgreSQL: what meets each clock in the rules' own terms, what extends it, a reopening
 * that keeps the period from the first receipt, and a reclassification that computes a case's
 * deadlines again from its original receipt. The rules' words are in docs/followup.md.
 */
@QuarkusTest
@TestSecurity(user = "ana", roles = "agent")
class RegulatoryClocksTest extends Flows {

    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");

    static Instant at(String local, ZoneId zone) {
        return ZonedDateTime.of(LocalDateTime.parse(local), zone).toInstant();
    }

    /** The case's {@code deadline.breached} of its deadline of {@code kind} under {@code profile}. */
    static List<CaseEvent> breaches(UUID caseId, String profile, String kind) {
        return deadlineEvents(caseId, "deadline.breached", kind).stream()
                .filter(e ->
                        profile.equals(((DeadlineBreached) EventCodec.payload(e).orElseThrow()).profile()))
                .toList();
    }

    /** The case's deadlines of {@code kind} of {@code profile}, in the order they started. */
    static List<Map<String, Object>> deadlines(UUID caseId, String profile, String kind) {
        return deadlines(caseId).stream()
                .filter(d -> kind.equals(d.get("kind")) && profile.equals(d.get("profile")))
                .toList();
    }

    /** The one deadline of {@code kind} of {@code profile} that is not SUPERSEDED. */
    static Map<String, Object> current(UUID caseId, String profile, String kind) {
        List<Map<String, Object>> all = deadlines(caseId, profile, kind).stream()
                .filter(d -> !"SUPERSEDED".equals(d.get("status")))
                .toList();
        return all.get(all.size() - 1);
    }

    /** The case's first {@code deadline.corrected}, once it is on the topic. */
    static DeadlineCorrected firstCorrection(UUID caseId) {
        awaitUntil(() -> KAFKA.caseRecords(Topics.CASE_FOLLOWUPS, caseId).stream()
                .anyMatch(r -> r.event().type().equals("redress.deadline.corrected")));
        return KAFKA.caseRecords(Topics.CASE_FOLLOWUPS, caseId).stream()
                .map(KafkaTestClient.Received::event)
                .filter(e -> e.type().equals("redress.deadline.corrected"))
                .map(e -> (DeadlineCorrected) EventCodec.payload(e).orElseThrow())
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metBy(Map<String, Object> d) {
        return (Map<String, Object>) d.get("metBy");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> extension(Map<String, Object> d) {
        return (Map<String, Object>) d.get("extension");
    }

    /** The statuses of the case's deadlines of {@code kind} of {@code profile}, in the order they started. */
    static List<Object> statuses(UUID caseId, String profile, String kind) {
        return statuses(deadlines(caseId, profile, kind));
    }

    /** A CFPB response through the portal, with the steps taken, in {@code status}. */
    static CaseEvent cfpbResponse(TestCase c, Instant t, String status) {
        return c.response(
                t, InteractionKind.SUBSTANTIVE_RESPONSE, null, status, "CFPB_PORTAL_RESPONSE", "CFPB_STEPS_TAKEN");
    }

    /** A DISP holding response: the reasons for the delay, the date expected and the Ombudsman's details. */
    static CaseEvent dispHolding(TestCase c, Instant t, Instant expectedBy) {
        return c.response(
                t,
                InteractionKind.HOLDING_RESPONSE,
                expectedBy,
                null,
                "REASONS_FOR_DELAY",
                "EXPECTED_DATE",
                "FOS_REFERRAL_RIGHT",
                "FOS_LEAFLET",
                "FOS_CONTACT_DETAILS");
    }

    /** A DISP 1.6.2AR(2) holding reply: the reasons for the delay and the date expected. */
    static CaseEvent psdHolding(TestCase c, Instant t, Instant expectedBy) {
        return c.response(t, InteractionKind.HOLDING_RESPONSE, expectedBy, null, "REASONS_FOR_DELAY", "EXPECTED_DATE");
    }

    /** A written final response with all the Ombudsman's details DISP asks for. */
    static CaseEvent dispFinal(TestCase c, Instant t) {
        return c.response(
                t,
                InteractionKind.FINAL_RESPONSE,
                null,
                null,
                "FOS_REFERRAL_RIGHT",
                "FOS_SIX_MONTH_LIMIT",
                "FOS_LEAFLET",
                "FOS_CONTACT_DETAILS",
                "FOS_TIME_LIMIT_CONSENT");
    }

    // ---------- what meets a clock ----------

    @Test
    void cfpbAnAcknowledgementLeavesTheFirstResponsePendingAndASubstantiveResponseMeetsIt() throws Exception {
        // Monday 2 November 2026 10:00 New York (EST since 1 November).
        Instant t0 = at("2026-11-02T10:00", NEW_YORK);
        TestCase c = newCaseAt(t0);
        CaseEvent ack = c.acknowledged(t0.plusSeconds(3600));
        send(c.received(t0, "US_CFPB"), ack);
        assertEquals("MET", current(c.id, "US_CFPB", "ACKNOWLEDGEMENT").get("status"));
        Map<String, Object> first = current(c.id, "US_CFPB", "FIRST_RESPONSE");
        assertEquals("PENDING", first.get("status"), "a one-line acknowledgement is not the CFPB's response");
        // 15 calendar days: the end of Tuesday 17 November, New York time.
        assertEquals(at("2026-11-18T00:00", NEW_YORK), instant(first, "dueAt"));
        assertEquals(3, first.get("profileVersion"), "V7's version, with the cadence");

        CaseEvent inProgress = cfpbResponse(c, at("2026-11-12T15:00", NEW_YORK), "IN_PROGRESS");
        send(inProgress);
        first = current(c.id, "US_CFPB", "FIRST_RESPONSE");
        assertEquals("MET", first.get("status"));
        assertEquals(at("2026-11-12T15:00", NEW_YORK), instant(first, "metAt"));
        assertEquals("SUBSTANTIVE_RESPONSE", metBy(first).get("kind"));
        assertEquals(inProgress.id().toString(), metBy(first).get("eventId"));
        assertEquals(
                "PENDING", current(c.id, "US_CFPB", "FINAL_RESPONSE").get("status"), "'In progress' does not close it");

        CaseEvent closed = cfpbResponse(c, at("2026-12-10T11:00", NEW_YORK), "CLOSED");
        send(closed);
        Map<String, Object> fin = current(c.id, "US_CFPB", "FINAL_RESPONSE");
        assertEquals("MET", fin.get("status"));
        assertEquals("SUBSTANTIVE_RESPONSE:CLOSED", metBy(fin).get("kind"));
        assertEquals(closed.id().toString(), metBy(fin).get("eventId"));
        wakeAt(at("2027-01-05T00:00", NEW_YORK), c.id);
        assertTrue(breaches(c.id, "FIRST_RESPONSE").isEmpty());
        assertTrue(breaches(c.id, "FINAL_RESPONSE").isEmpty());
    }

    @Test
    void dispAHoldingResponseMeetsTheEightWeekDeadline() throws Exception {
        // Monday 7 September 2026 11:00 BST; the end of eight weeks is the end of Monday 2 November (GMT).
        Instant t0 = at("2026-09-07T11:00", LONDON);
        TestCase c = newCaseAt(t0);
        CaseEvent holding = dispHolding(c, at("2026-10-26T10:00", LONDON), at("2026-11-30T17:00", LONDON));
        send(c.received(t0, "UK_FCA_DISP"), holding);
        Map<String, Object> fin = current(c.id, "UK_FCA_DISP", "FINAL_RESPONSE");
        assertEquals(Instant.parse("2026-11-03T00:00:00Z"), instant(fin, "dueAt"));
        assertEquals("MET", fin.get("status"), "DISP 1.6.2R: a final or holding response by the end of eight weeks");
        assertEquals("HOLDING_RESPONSE", metBy(fin).get("kind"));
        assertEquals(holding.id().toString(), metBy(fin).get("eventId"));
        wakeAt(Instant.parse("2026-11-04T00:00:00Z"), c.id);
        assertTrue(breaches(c.id, "FINAL_RESPONSE").isEmpty());
    }

    @Test
    void dispASummaryResolutionCommunicationInTheWindowDischargesTheEightWeeks() throws Exception {
        // Thursday 24 December 2026 15:00 London: the window closes on Thursday 31 December at 17:00.
        Instant t0 = at("2026-12-24T15:00", LONDON);
        TestCase c = newCaseAt(t0);
        CaseEvent summary = c.response(
                at("2026-12-30T12:00", LONDON),
                InteractionKind.SUMMARY_RESOLUTION,
                null,
                null,
                "COMPLAINT_RESOLVED",
                "FOS_REFERRAL_RIGHT",
                "FOS_SIX_MONTH_LIMIT",
                "FOS_TIME_LIMIT_CONSENT",
                "FOS_CONTACT_DETAILS",
                "FOS_FURTHER_INFORMATION");
        send(c.received(t0, "UK_FCA_DISP"), summary);
        Map<String, Object> window = current(c.id, "UK_FCA_DISP", "SUMMARY_RESOLUTION");
        assertEquals("MET", window.get("status"));
        assertEquals("SUMMARY_RESOLUTION", metBy(window).get("kind"));
        Map<String, Object> fin = current(c.id, "UK_FCA_DISP", "FINAL_RESPONSE");
        assertEquals("MET", fin.get("status"), "DISP 1.5.1R: the time limit rules do not apply");
        assertEquals(
                Map.of("kind", "SUMMARY_RESOLUTION", "eventId", summary.id().toString(), "via", "SUMMARY_RESOLUTION"),
                metBy(fin));
    }

    @Test
    void dispAComplaintResolvedInTheWindowNeedsNoAcknowledgement() throws Exception {
        // Monday 7 September 2026 10:00 BST, resolved by telephone at 11:00 and never acknowledged in
        // writing. The acknowledgement would be due at the close of Tuesday 8 September; DISP 1.5.1R takes
        // a complaint resolved by the close of the third business day out of DISP 1.6, 1.6.1R included.
        Instant t0 = at("2026-09-07T10:00", LONDON);
        TestCase c = newCaseAt(t0);
        CaseEvent resolved = c.resolved(at("2026-09-07T11:00", LONDON));
        send(c.received(t0, "UK_FCA_DISP"), resolved);
        wakeAt(at("2026-09-09T09:00", LONDON), c.id);
        Map<String, Object> ack = current(c.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT");
        assertEquals(at("2026-09-08T17:00", LONDON), instant(ack, "dueAt"));
        assertEquals("MET", ack.get("status"), "DISP 1.5.1R: the time limit rules do not apply");
        assertEquals(
                Map.of("kind", "RESOLVED", "eventId", resolved.id().toString(), "via", "SUMMARY_RESOLUTION"),
                metBy(ack));
        assertTrue(breaches(c.id, "ACKNOWLEDGEMENT").isEmpty(), "no breach announced");
    }

    @Test
    void dispAnAcknowledgementBreachIsWithdrawnWhenTheComplaintIsThenResolvedInTheWindow() throws Exception {
        // Received Monday 7 September 2026 10:00 BST; the acknowledgement is due at the close of Tuesday,
        // the window closes at the close of Thursday 10 September.
        Instant t0 = at("2026-09-07T10:00", LONDON);
        TestCase inTime = receivedCase(t0, "UK_FCA_DISP");
        TestCase late = receivedCase(t0, "UK_FCA_DISP");
        wakeAt(at("2026-09-09T09:00", LONDON), inTime.id);
        wakeAt(at("2026-09-09T09:00", LONDON), late.id);
        List<CaseEvent> breached = breaches(inTime.id, "ACKNOWLEDGEMENT");
        assertEquals(1, breached.size(), "unacknowledged at the close of Tuesday, and not yet resolved");
        assertEquals(1, breaches(late.id, "ACKNOWLEDGEMENT").size());

        // Resolved on Wednesday, inside the window: the acknowledgement rule never applied to it.
        send(inTime.resolved(at("2026-09-09T15:00", LONDON)));
        Map<String, Object> ack = current(inTime.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT");
        assertEquals("MET", ack.get("status"));
        assertEquals("SUMMARY_RESOLUTION", metBy(ack).get("via"));
        DeadlineCorrected corrected = firstCorrection(inTime.id);
        assertEquals(breached.get(0).id(), corrected.withdrawnEventId());
        assertEquals("ACKNOWLEDGEMENT", corrected.kind());
        assertEquals(at("2026-09-09T15:00", LONDON), corrected.metAt());

        // Resolved on Friday, after the window: DISP 1.6.1R applied, and the breach stands.
        send(late.resolved(at("2026-09-11T10:00", LONDON)));
        assertEquals(
                "BREACHED", current(late.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT").get("status"));
        assertEquals(
                "MISSED", current(late.id, "UK_FCA_DISP", "SUMMARY_RESOLUTION").get("status"));
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM outbox WHERE record_key = ? AND event_type = 'redress.deadline.corrected'",
                        late.id.toString()));
    }

    // ---------- reopening ----------

    @Test
    void dispReopeningKeepsTheFinalResponseClockOfTheFirstReceipt() throws Exception {
        // Received Friday 1 January 2027 (New Year's Day) at 10:00; resolved Tuesday 5 January, inside
        // the summary resolution window (4, 5, 6 January); reopened Thursday 7 January.
        Instant received = at("2027-01-01T10:00", LONDON);
        TestCase c = newCaseAt(received);
        send(
                c.received(received, "UK_FCA_DISP"),
                c.resolved(at("2027-01-05T11:00", LONDON)),
                c.reopened(at("2027-01-07T09:30", LONDON)));
        Map<String, Object> window = current(c.id, "UK_FCA_DISP", "SUMMARY_RESOLUTION");
        assertEquals("MET", window.get("status"));
        assertEquals(at("2027-01-06T17:00", LONDON), instant(window, "dueAt"));
        List<Map<String, Object>> finals = deadlines(c.id, "UK_FCA_DISP", "FINAL_RESPONSE");
        assertEquals(List.of("MET", "PENDING"), statuses(finals), finals.toString());
        assertEquals(
                "SUMMARY_RESOLUTION", metBy(finals.get(0)).get("via"), "discharged by the resolution in the window");
        Map<String, Object> again = finals.get(1);
        // DISP 1.6.2R: by the end of eight weeks after its receipt of the complaint: the end of Friday 26
        // February 2027, not eight weeks after the reopening (the end of Thursday 4 March).
        assertEquals(Instant.parse("2027-02-27T00:00:00Z"), instant(again, "dueAt"));
        assertEquals(received, instant(again, "startedAt"));
        assertEquals(1, deadlines(c.id, "UK_FCA_DISP", "SUMMARY_RESOLUTION").size(), "the window is not opened again");
        assertEquals(1, deadlines(c.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT").size());
    }

    @Test
    void dispResolvedAgainWithinTheWindowAfterAReopeningIsStillOutOfTheTimeLimits() throws Exception {
        // Received Monday 7 September 2026 10:00 BST and resolved at 11:00, never acknowledged in writing: the
        // window discharged the acknowledgement and the eight weeks. Reopened on Tuesday 10:00, the complaint is no
        // longer resolved: both are pending again, and the acknowledgement is breached at Tuesday's close.
        Instant t0 = at("2026-09-07T10:00", LONDON);
        TestCase c = newCaseAt(t0);
        TestCase late = new TestCase();
        for (TestCase k : List.of(c, late)) {
            send(
                    k.received(t0, "UK_FCA_DISP"),
                    k.resolved(at("2026-09-07T11:00", LONDON)),
                    k.reopened(at("2026-09-08T10:00", LONDON)));
            assertEquals(List.of("MET", "PENDING"), statuses(k.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT"));
            assertEquals(List.of("MET", "PENDING"), statuses(k.id, "UK_FCA_DISP", "FINAL_RESPONSE"));
            wakeAt(at("2026-09-09T09:00", LONDON), k.id);
            assertEquals(List.of("MET", "BREACHED"), statuses(k.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT"));
        }

        // Resolved again on Wednesday 15:00, still by the close of the third business day (Thursday 10 September
        // 17:00): out of the time limits again; the breach is withdrawn.
        CaseEvent again = c.resolved(at("2026-09-09T15:00", LONDON));
        send(again);
        List<Map<String, Object>> finals = deadlines(c.id, "UK_FCA_DISP", "FINAL_RESPONSE");
        assertEquals(List.of("MET", "MET"), statuses(finals), finals.toString());
        assertEquals(
                Map.of("kind", "RESOLVED", "eventId", again.id().toString(), "via", "SUMMARY_RESOLUTION"),
                metBy(finals.get(1)));
        assertEquals(List.of("MET", "MET"), statuses(c.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT"));
        assertEquals("ACKNOWLEDGEMENT", firstCorrection(c.id).kind());

        // Resolved again only after the window: the eight weeks run on, and the breach stands.
        send(late.resolved(at("2026-09-11T10:00", LONDON)));
        assertEquals(List.of("MET", "PENDING"), statuses(late.id, "UK_FCA_DISP", "FINAL_RESPONSE"));
        assertEquals(List.of("MET", "BREACHED"), statuses(late.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT"));
    }

    @Test
    void aReopeningAfterAWrittenFinalResponseOrAfterTheEightWeeksArmsNothing() throws Exception {
        Instant t0 = at("2026-09-07T11:00", LONDON);
        TestCase sent = newCaseAt(t0);
        send(
                sent.received(t0, "UK_FCA_DISP"),
                dispFinal(sent, at("2026-09-21T10:00", LONDON)),
                sent.resolved(at("2026-09-22T10:00", LONDON)),
                sent.reopened(at("2026-09-25T10:00", LONDON)));
        assertEquals(
                List.of("MET"), statuses(sent.id, "UK_FCA_DISP", "FINAL_RESPONSE"), "the final response stays sent");

        TestCase late = new TestCase();
        send(
                late.received(t0, "UK_FCA_DISP"),
                late.resolved(at("2026-09-08T10:00", LONDON)),
                late.reopened(at("2026-11-10T10:00", LONDON)));
        assertEquals(
                List.of("MET"),
                statuses(late.id, "UK_FCA_DISP", "FINAL_RESPONSE"),
                "the eight weeks from receipt ended before the reopening");
    }

    // ---------- extensions ----------

    @Test
    void psdAHoldingReplyWithReasonsAndADateExtendsFifteenBusinessDaysToThirtyFive() throws Exception {
        // Thursday 20 August 2026 10:00 BST; Monday 31 August is the summer bank holiday.
        Instant t0 = at("2026-08-20T10:00", LONDON);
        TestCase c = receivedCase(t0, "UK_FCA_DISP_PSD");
        Map<String, Object> fin = current(c.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        // DISP 1.6.2AR(1): 15 business days after the day of receipt: 21, 24-28 August, 1-4, 7-11 September.
        assertEquals(at("2026-09-11T17:00", LONDON), instant(fin, "dueAt"));

        CaseEvent holding = psdHolding(c, at("2026-09-09T16:00", LONDON), at("2026-10-02T17:00", LONDON));
        send(holding);
        fin = current(c.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals("PENDING", fin.get("status"), "the holding reply is not the final response");
        // DISP 1.6.2AR(2): no later than 35 business days after the day of receipt: Friday 9 October.
        assertEquals(at("2026-10-09T17:00", LONDON), instant(fin, "dueAt"));
        assertEquals("HOLDING_RESPONSE", extension(fin).get("kind"));
        assertEquals(holding.id().toString(), extension(fin).get("eventId"));
        assertEquals(at("2026-09-11T17:00", LONDON), instant(extension(fin), "originalDueAt"));
        assertNull(extension(fin).get("statedDate"), "the 35 business days are the limit, whatever date was given");

        wakeAt(at("2026-09-14T09:00", LONDON), c.id);
        assertTrue(breaches(c.id, "FINAL_RESPONSE").isEmpty(), "not breached at 15 days");
        CaseEvent answer = dispFinal(c, at("2026-10-01T12:00", LONDON));
        send(answer);
        fin = current(c.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals("MET", fin.get("status"));
        assertEquals("FINAL_RESPONSE", metBy(fin).get("kind"));
    }

    @Test
    void psdAHoldingReplyInTimeThatArrivesAfterTheBreachWithdrawsItAndExtends() throws Exception {
        Instant t0 = at("2026-08-20T10:00", LONDON);
        TestCase c = receivedCase(t0, "UK_FCA_DISP_PSD");
        wakeAt(at("2026-09-14T09:00", LONDON), c.id);
        List<CaseEvent> breached = breaches(c.id, "FINAL_RESPONSE");
        assertEquals(1, breached.size(), "nothing extended it by what had been read");

        // The holding reply was sent on 9 September, before the 15 business days ran out; it reaches us now.
        send(psdHolding(c, at("2026-09-09T16:00", LONDON), at("2026-10-02T17:00", LONDON)));
        Map<String, Object> fin = current(c.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals("PENDING", fin.get("status"), "pending again, on the 35 business days");
        assertEquals(at("2026-10-09T17:00", LONDON), instant(fin, "dueAt"));
        DeadlineCorrected corrected = firstCorrection(c.id);
        assertEquals(breached.get(0).id(), corrected.withdrawnEventId());
        assertNull(corrected.metAt(), "extended, not met");
        assertEquals(at("2026-10-09T17:00", LONDON), corrected.dueAt());

        // Unanswered by then: breached again, on the later due time.
        wakeAt(at("2026-10-12T09:00", LONDON), c.id);
        assertEquals(2, breaches(c.id, "FINAL_RESPONSE").size());
        assertEquals(
                at("2026-10-09T17:00", LONDON),
                ((DeadlineBreached) EventCodec.payload(
                                        breaches(c.id, "FINAL_RESPONSE").get(1))
                                .orElseThrow())
                        .dueAt());
    }

    @Test
    void psdAHoldingReplyWithoutTheDateOrAfterTheFifteenDaysExtendsNothing() throws Exception {
        Instant t0 = at("2026-08-20T10:00", LONDON);
        TestCase undated = newCaseAt(t0);
        send(
                undated.received(t0, "UK_FCA_DISP_PSD"),
                undated.response(
                        at("2026-09-09T16:00", LONDON),
                        InteractionKind.HOLDING_RESPONSE,
                        at("2026-10-02T17:00", LONDON),
                        null,
                        "REASONS_FOR_DELAY"));
        Map<String, Object> fin = current(undated.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals(
                at("2026-09-11T17:00", LONDON), instant(fin, "dueAt"), "no EXPECTED_DATE: not DISP 1.6.2AR(2)'s reply");
        assertNull(fin.get("extension"));

        TestCase late = new TestCase();
        send(
                late.received(t0, "UK_FCA_DISP_PSD"),
                psdHolding(late, at("2026-09-14T10:00", LONDON), at("2026-10-02T17:00", LONDON)));
        assertEquals(
                at("2026-09-11T17:00", LONDON),
                instant(current(late.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE"), "dueAt"),
                "sent after the 15 business days");
        wakeAt(at("2026-09-14T12:00", LONDON), late.id);
        assertEquals(1, breaches(late.id, "FINAL_RESPONSE").size());
    }

    @Test
    void rg271ProfilesDueDatesAndTheirFiveBusinessDayClose() throws Exception {
        // Monday 2 March 2026 10:00 AEDT (UTC+11); summer time ends on Sunday 5 April.
        Instant t0 = at("2026-03-02T10:00", SYDNEY);
        clock.set(t0);
        Map<String, Instant> finalDue = Map.of(
                "AU_ASIC_RG271", at("2026-04-02T00:00", SYDNEY), // 30 days: the end of Wednesday 1 April
                "AU_ASIC_RG271_SUPER", at("2026-04-17T00:00", SYDNEY), // 45 days: the end of Thursday 16 April, AEST
                "AU_ASIC_RG271_HARDSHIP", at("2026-03-24T00:00", SYDNEY), // 21 days: the end of Monday 23 March
                "AU_ASIC_RG271_DEFAULT_NOTICE", at("2026-03-24T00:00", SYDNEY));
        for (var e : finalDue.entrySet()) {
            TestCase c = new TestCase();
            // Resolved on Friday 6 March, within five business days (3, 4, 5, 6, 9 March).
            send(
                    c.received(t0, e.getKey()),
                    c.acknowledged(at("2026-03-02T14:00", SYDNEY)),
                    c.resolved(at("2026-03-06T15:00", SYDNEY)));
            Map<String, Object> fin =
                    deadlines(c.id, e.getKey(), "FINAL_RESPONSE").get(0);
            assertEquals(e.getValue(), instant(fin, "dueAt"), e.getKey());
            assertEquals(
                    at("2026-03-03T10:00", SYDNEY),
                    instant(current(c.id, e.getKey(), "ACKNOWLEDGEMENT"), "dueAt"),
                    "one business day of working time");
            if (e.getKey().equals("AU_ASIC_RG271_HARDSHIP")) {
                assertTrue(deadlines(c.id, e.getKey(), "FIVE_DAY_CLOSE").isEmpty(), e.getKey());
                assertEquals("PENDING", fin.get("status"), "a hardship complaint always gets a written IDR response");
            } else {
                Map<String, Object> window = current(c.id, e.getKey(), "FIVE_DAY_CLOSE");
                assertEquals(at("2026-03-09T17:00", SYDNEY), instant(window, "dueAt"), e.getKey());
                assertEquals("MET", window.get("status"), e.getKey());
                assertEquals(
                        "MET",
                        fin.get("status"),
                        e.getKey() + ": closed within five business days, no written IDR response");
                assertEquals("FIVE_DAY_CLOSE", metBy(fin).get("via"));
                assertEquals("RESOLVED", metBy(fin).get("kind"));
            }
        }
    }

    @Test
    void rg271BusinessDaysSkipTheNswBankHoliday() throws Exception {
        // The Corporations Act's business day is not "a public holiday or bank holiday in the place
        // concerned" (s9); Monday 3 August 2026 is the NSW Bank Holiday (AU-NSW-BANK, V10).
        Instant wednesday = at("2026-07-29T10:00", SYDNEY);
        TestCase closing = newCaseAt(wednesday);
        send(closing.received(wednesday, "AU_ASIC_RG271"));
        assertEquals(
                at("2026-08-06T17:00", SYDNEY),
                instant(current(closing.id, "AU_ASIC_RG271", "FIVE_DAY_CLOSE"), "dueAt"),
                "five business days: 30, 31 July, 4, 5, 6 August (not Wednesday 5 August)");
        assertEquals(
                4,
                current(closing.id, "AU_ASIC_RG271", "FINAL_RESPONSE").get("profileVersion"),
                "V10's version (V3's, V5's, V7's before it)");

        Instant friday = at("2026-07-31T10:00", SYDNEY);
        TestCase acknowledging = newCaseAt(friday);
        send(acknowledging.received(friday, "AU_ASIC_RG271_SUPER"));
        assertEquals(
                at("2026-08-04T10:00", SYDNEY),
                instant(current(acknowledging.id, "AU_ASIC_RG271_SUPER", "ACKNOWLEDGEMENT"), "dueAt"),
                "one business day of working time: Friday's seven hours, then Tuesday's first (not Monday's)");
    }

    @Test
    void rg271ADelayNotificationBeforeTheDeadlineHoldsTheBreachToTheDateItGave() throws Exception {
        Instant t0 = at("2026-03-02T10:00", SYDNEY);
        TestCase c = newCaseAt(t0);
        CaseEvent notice = c.response(
                at("2026-03-30T11:00", SYDNEY),
                InteractionKind.DELAY_NOTICE,
                at("2026-04-15T17:00", SYDNEY),
                null,
                "REASONS_FOR_DELAY",
                "AFCA_REFERRAL_RIGHT",
                "AFCA_CONTACT_DETAILS");
        send(c.received(t0, "AU_ASIC_RG271"), notice);
        Map<String, Object> fin = current(c.id, "AU_ASIC_RG271", "FINAL_RESPONSE");
        assertEquals("PENDING", fin.get("status"), "a delay notification is not the IDR response");
        assertEquals(at("2026-04-15T17:00", SYDNEY), instant(fin, "dueAt"));
        assertEquals(
                at("2026-04-02T00:00", SYDNEY),
                instant(extension(fin), "originalDueAt"),
                "the maximum IDR timeframe stays on record");
        assertEquals(at("2026-04-15T17:00", SYDNEY), instant(extension(fin), "statedDate"));

        wakeAt(at("2026-04-02T09:00", SYDNEY), c.id);
        assertTrue(
                breaches(c.id, "FINAL_RESPONSE").isEmpty(),
                "no breach raised as if the complainant had been told nothing");
        wakeAt(at("2026-04-15T17:01", SYDNEY), c.id);
        assertEquals(1, breaches(c.id, "FINAL_RESPONSE").size(), "the date it gave passed");
    }

    // ---------- reclassification ----------

    @Test
    void reclassificationFromDispToPsdRecomputesFromTheOriginalReceiptKeepingWhatHappened() throws Exception {
        TestCase c = new TestCase();
        // The firm received it on Thursday 20 August 2026 at 10:00 BST; it was entered in Redress at 16:00.
        Instant received = at("2026-08-20T10:00", LONDON);
        Instant registered = at("2026-08-20T16:00", LONDON);
        clock.set(registered);
        CaseEvent ack = c.acknowledged(at("2026-08-21T09:30", LONDON));
        CaseEvent holding = dispHolding(c, at("2026-09-03T15:00", LONDON), at("2026-10-02T17:00", LONDON));
        send(c.received(received, registered, "UK_FCA_DISP"), ack, holding);
        assertEquals(
                received,
                instant(current(c.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT"), "startedAt"),
                "counted from the firm's receipt");
        assertEquals(
                "MET",
                current(c.id, "UK_FCA_DISP", "FINAL_RESPONSE").get("status"),
                "a holding response meets DISP 1.6.2R");

        Instant reclassifiedAt = at("2026-09-07T10:00", LONDON);
        clock.set(reclassifiedAt);
        send(c.reclassified(reclassifiedAt, "UK_FCA_DISP", "UK_FCA_DISP_PSD"));
        assertEquals(
                1, count("SELECT count(*) FROM case_state WHERE case_id = ? AND profile = 'UK_FCA_DISP_PSD'", c.id));

        // The old profile's rows stay with their states; the one still pending is superseded.
        assertEquals(List.of("SUPERSEDED"), statuses(c.id, "UK_FCA_DISP", "SUMMARY_RESOLUTION"));
        assertEquals(List.of("MET"), statuses(c.id, "UK_FCA_DISP", "ACKNOWLEDGEMENT"));
        assertEquals(List.of("MET"), statuses(c.id, "UK_FCA_DISP", "FINAL_RESPONSE"));

        // The new profile's, from the original receipt, with what already happened applied.
        Map<String, Object> psdAck = current(c.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT");
        assertEquals(received, instant(psdAck, "startedAt"));
        assertEquals("MET", psdAck.get("status"), "the acknowledgement met it at the real time, not breached");
        assertEquals(at("2026-08-21T09:30", LONDON), instant(psdAck, "metAt"));
        assertEquals("ACKNOWLEDGED", metBy(psdAck).get("kind"));
        assertEquals(ack.id().toString(), metBy(psdAck).get("eventId"));
        assertNull(metBy(psdAck).get("via"));
        Map<String, Object> fin = current(c.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals(received, instant(fin, "startedAt"));
        assertEquals(3, fin.get("profileVersion"), "the new profile's current version (V8's)");
        assertEquals("PENDING", fin.get("status"), "under DISP 1.6.2AR a holding reply only extends the deadline");
        assertEquals(
                at("2026-10-09T17:00", LONDON), instant(fin, "dueAt"), "extended by the holding reply of 3 September");
        assertEquals(holding.id().toString(), extension(fin).get("eventId"));
        assertEquals(at("2026-09-11T17:00", LONDON), instant(extension(fin), "originalDueAt"));
        Map<String, Object> window = current(c.id, "UK_FCA_DISP_PSD", "SUMMARY_RESOLUTION");
        assertEquals(at("2026-08-25T17:00", LONDON), instant(window, "dueAt"));
        assertEquals("PENDING", window.get("status"), "past its due time: left for the waker");
        wakeAt(reclassifiedAt.plusSeconds(1), c.id);
        assertEquals(
                "MISSED", current(c.id, "UK_FCA_DISP_PSD", "SUMMARY_RESOLUTION").get("status"));
        assertEquals("MET", current(c.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT").get("status"));
        assertTrue(breaches(c.id, "ACKNOWLEDGEMENT").isEmpty());
    }

    @Test
    void aReclassificationAppliesALaterHoldingReplyThatHasWhatTheFirstLacked() throws Exception {
        // DISP, received Thursday 20 August 2026 10:00 BST: a bare holding response on 25 August (no reasons, no
        // date), then one with the reasons and the date on 9 September; reclassified to PSD on 10 September.
        Instant received = at("2026-08-20T10:00", LONDON);
        TestCase twice = newCaseAt(received);
        CaseEvent proper = psdHolding(twice, at("2026-09-09T16:00", LONDON), at("2026-10-02T17:00", LONDON));
        send(
                twice.received(received, "UK_FCA_DISP"),
                twice.response(at("2026-08-25T10:00", LONDON), InteractionKind.HOLDING_RESPONSE, null, null),
                proper);
        Instant reclassifiedAt = at("2026-09-10T10:00", LONDON);
        clock.set(reclassifiedAt);
        send(twice.reclassified(reclassifiedAt, "UK_FCA_DISP", "UK_FCA_DISP_PSD"));
        Map<String, Object> fin = current(twice.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals("PENDING", fin.get("status"));
        // DISP 1.6.2AR(2): the reply of 9 September, before the 15 business days ran out (11 September), extends
        // to 35; the first reply, without them, extended nothing, as it did not for a case PSD from the start.
        assertEquals(at("2026-10-09T17:00", LONDON), instant(fin, "dueAt"));
        assertEquals(proper.id().toString(), extension(fin).get("eventId"));
    }

    @Test
    void aReclassificationMeetsADeadlineOnceByTheFirstCommunicationThatMeetsIt() throws Exception {
        // DEFAULT, reclassified into DISP after a holding response (3 September) and a final response (1 October):
        // the holding response met the eight weeks first; the final response after it changes nothing.
        Instant received = at("2026-08-20T10:00", LONDON);
        TestCase both = newCaseAt(received);
        CaseEvent holding = dispHolding(both, at("2026-09-03T15:00", LONDON), at("2026-10-02T17:00", LONDON));
        send(both.received(received, "DEFAULT"), holding, dispFinal(both, at("2026-10-01T12:00", LONDON)));
        clock.set(at("2026-10-05T10:00", LONDON));
        send(both.reclassified(at("2026-10-05T10:00", LONDON), "DEFAULT", "UK_FCA_DISP"));
        Map<String, Object> disp = current(both.id, "UK_FCA_DISP", "FINAL_RESPONSE");
        assertEquals("MET", disp.get("status"));
        assertEquals(at("2026-09-03T15:00", LONDON), instant(disp, "metAt"));
        assertEquals(holding.id().toString(), metBy(disp).get("eventId"));
        wakeAt(at("2026-10-05T10:00", LONDON).plusSeconds(1), both.id);
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM outbox WHERE record_key = ? AND event_type = 'redress.deadline.corrected'",
                        both.id.toString()),
                "nothing was announced, so nothing is withdrawn");
    }

    @Test
    void aRecomputedDeadlineAlreadyOverdueIsBreachedByTheWakerNotTheConsumer() throws Exception {
        Instant received = at("2026-08-20T10:00", LONDON);
        Instant reclassifiedAt = at("2026-09-07T10:00", LONDON);
        clock.set(received);

        TestCase silent = new TestCase();
        send(
                silent.received(received, "UK_FCA_DISP"),
                silent.reclassified(reclassifiedAt, "UK_FCA_DISP", "UK_FCA_DISP_PSD"));
        Map<String, Object> overdue = current(silent.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT");
        assertEquals("PENDING", overdue.get("status"), "not breached in the consumer");

        TestCase lateAck = new TestCase();
        CaseEvent ack = lateAck.acknowledged(at("2026-08-24T09:30", LONDON));
        send(
                lateAck.received(received, "AU_ASIC_RG271"),
                ack,
                lateAck.reclassified(reclassifiedAt, "AU_ASIC_RG271", "UK_FCA_DISP_PSD"));
        Map<String, Object> late = current(lateAck.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT");
        assertEquals(
                "PENDING",
                late.get("status"),
                "met after its due time (Friday 21 August 17:00): the waker breaches it");
        assertEquals(at("2026-08-24T09:30", LONDON), instant(late, "metAt"));
        assertTrue(breaches(silent.id, "ACKNOWLEDGEMENT").isEmpty());
        assertTrue(breaches(lateAck.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT").isEmpty());

        wakeAt(reclassifiedAt.plusSeconds(1), silent.id);
        wakeAt(reclassifiedAt.plusSeconds(1), lateAck.id);
        assertEquals(
                "BREACHED",
                current(silent.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT").get("status"));
        List<CaseEvent> breaches = breaches(silent.id, "ACKNOWLEDGEMENT");
        assertEquals(1, breaches.size());
        assertEquals(
                "UK_FCA_DISP_PSD",
                ((DeadlineBreached) EventCodec.payload(breaches.get(0)).orElseThrow()).profile());
        assertEquals(
                "MISSED",
                current(silent.id, "UK_FCA_DISP_PSD", "SUMMARY_RESOLUTION").get("status"));
        // Due on 11 September; four fifths of its time had gone by the waker's pass: one warning, the latest.
        assertEquals(
                "WARNED",
                current(silent.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE").get("status"));
        assertEquals(1, warnings(silent.id, "FINAL_RESPONSE").size());

        Map<String, Object> breachedLate = current(lateAck.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT");
        assertEquals("BREACHED", breachedLate.get("status"));
        assertEquals(at("2026-08-24T09:30", LONDON), instant(breachedLate, "metAt"), "met late, on record");
        assertEquals("ACKNOWLEDGED", metBy(breachedLate).get("kind"));
        assertEquals(
                1, breaches(lateAck.id, "UK_FCA_DISP_PSD", "ACKNOWLEDGEMENT").size());
        assertEquals(List.of("SUPERSEDED"), statuses(lateAck.id, "AU_ASIC_RG271", "FINAL_RESPONSE"));
    }

    @Test
    void aReopeningAfterAReclassificationFollowsTheNewProfilesDeadlines() throws Exception {
        Instant received = at("2026-08-20T10:00", LONDON);
        TestCase c = newCaseAt(received);
        send(
                c.received(received, "UK_FCA_DISP"),
                dispHolding(c, at("2026-08-24T10:00", LONDON), at("2026-09-30T17:00", LONDON)),
                c.resolved(at("2026-08-25T12:00", LONDON)),
                c.reclassified(at("2026-08-26T10:00", LONDON), "UK_FCA_DISP", "UK_FCA_DISP_PSD"));
        assertEquals(
                "HOLDING_RESPONSE",
                metBy(current(c.id, "UK_FCA_DISP", "FINAL_RESPONSE")).get("kind"),
                "DISP 1.6.2R met");
        Map<String, Object> psd = current(c.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals("MET", psd.get("status"), "resolved within the three business days (20 August: 21, 24, 25)");
        assertEquals("SUMMARY_RESOLUTION", metBy(psd).get("via"));

        send(c.reopened(at("2026-08-27T10:00", LONDON)));
        List<Map<String, Object>> finals = deadlines(c.id, "UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals(
                List.of("MET", "PENDING"),
                statuses(finals),
                "the new profile's resolution is undone; the old profile's holding response does not count for it");
        assertEquals(received, instant(finals.get(1), "startedAt"));
        assertEquals(
                at("2026-10-09T17:00", LONDON),
                instant(finals.get(1), "dueAt"),
                "35 business days: the holding reply stands");
        assertEquals(1, deadlines(c.id, "UK_FCA_DISP", "FINAL_RESPONSE").size());
    }
}
