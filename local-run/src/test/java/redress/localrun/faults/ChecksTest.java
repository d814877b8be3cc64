package redress.localrun.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.Direction;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseResolved;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineCorrected;
import redress.events.payload.EscalationRaised;
import redress.events.payload.InteractionRecorded;
import redress.localrun.faults.Checks.Event;
import redress.localrun.faults.Checks.Findings;
import redress.localrun.faults.Checks.Observed;
import redress.localrun.scenario.ApiClient;

/**
 * The fault suite's judging, fed one complaint of the load whose story went well (as the events of the
 * real contract, encoded as on the topics) with one fault planted at a time: each must be reported as
 * the kind it is, and nothing else. A checker that sees nothing would pass {@link #aGoodStoryHolds}
 * and fail every test that plants a fault; the others show what must not be reported.
 */
class ChecksTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    /** When the topics were read: long after every event below, so each is expected in the audit log. */
    static final Instant READ_AT = T0.plus(Duration.ofMinutes(5));

    static final String REFERENCE = "CMP-2026-000042";

    private final UUID caseId = UUID.randomUUID();
    private final UUID escalationId = UUID.randomUUID();
    private final Instant escalationDue = T0.plusSeconds(60);
    /** The load's record: a CRITICAL complaint on DEMO, acknowledged, called back and resolved a second apart. */
    private final Load.Complaint complaint = new Load.Complaint(caseId.toString(), "CRITICAL", "DEMO", T0);

    private final Map<String, Event> events = new LinkedHashMap<>();
    private final Map<String, Integer> audit = new HashMap<>();
    private JsonNode verify;

    @BeforeEach
    void aCaseWhoseStoryWentWell() throws Exception {
        complaint.interactionsAccepted = 2;
        complaint.acknowledgedAt = T0.plusSeconds(1);
        complaint.outboundAt = T0.plusSeconds(2);
        complaint.resolvedAt = T0.plusSeconds(3);
        complaint.escalationsAcknowledged.put(escalationId.toString(), T0.plusSeconds(2));
        complaint.done = true;
        audited(received(T0));
        audited(escalatedToSupervisor(escalationId), T0);
        audited(assigned(escalationId), T0);
        UUID acknowledgement = UUID.randomUUID();
        audited(
                interaction(acknowledgement, InteractionKind.ACKNOWLEDGEMENT, null, T0.plusSeconds(1)),
                T0.plusSeconds(1));
        audited(new CaseAcknowledged(caseId, REFERENCE, acknowledgement, T0.plusSeconds(1)), T0.plusSeconds(1));
        audited(
                interaction(UUID.randomUUID(), InteractionKind.CUSTOMER_CONTACT, Direction.OUTBOUND, T0.plusSeconds(2)),
                T0.plusSeconds(2));
        audited(
                new CaseResolved(
                        caseId,
                        REFERENCE,
                        CaseStatus.IN_PROGRESS,
                        "Explained and put right",
                        Severity.CRITICAL,
                        T0.plusSeconds(3)),
                T0.plusSeconds(3));
        verify = ApiClient.JSON.readTree("{\"ok\":true,\"entries\":7}");
    }

    @Test
    void aGoodStoryHolds() {
        Findings f = judge();
        assertTrue(f.holds(), f.toString());
        assertEquals(1, f.checked());
    }

    @Test
    void anAcceptedComplaintWithoutItsReceivedEventIsLost() {
        events.values().removeIf(e -> e.type().equals("complaint.received"));
        assertOnly(Findings::lost, judge(), "0 complaint.received of 1");
    }

    @Test
    void anAcceptedComplaintThatIsNoCaseAtIntakeIsLost() {
        assertOnly(Findings::lost, judge(Set.of(), Set.of(caseId.toString())), "no case at intake");
    }

    @Test
    void anAcceptedInteractionWithoutItsEventIsLost() {
        complaint.interactionsAccepted = 3;
        assertOnly(Findings::lost, judge(), "2 interaction.recorded of 3");
    }

    @Test
    void anAcceptedResolutionWithoutItsEventIsLost() {
        events.values().removeIf(e -> e.type().equals("case.resolved"));
        assertOnly(Findings::lost, judge(), "0 case.resolved of 1");
    }

    @Test
    void anEventWithoutAnAuditEntryIsLost() {
        Event resolved = first("case.resolved");
        audit.remove(resolved.id());
        assertOnly(Findings::lost, judge(), "no audit entry for case.resolved " + resolved.id());
    }

    @Test
    void anEventTooYoungForTheAuditLogIsLeftToTheNextCheckButNoLonger() {
        Event young = audited(assigned(null), READ_AT.minusSeconds(5));
        audit.remove(young.id());
        assertTrue(judge().holds(), "5 s old when the topics were read: the next check asks");

        Event old = audited(assigned(null), READ_AT.minusSeconds(15));
        audit.remove(old.id());
        assertOnly(Findings::lost, judge(), "no audit entry for case.assigned " + old.id());
    }

    @Test
    void deadlinesNotAllAtFollowupAreLost() {
        assertOnly(
                Findings::lost,
                judge(Set.of(caseId.toString()), Set.of()),
                "its deadlines are not all at followup-service");
    }

    @Test
    void aCriticalComplaintNeverEscalatedToSupervisorIsLost() {
        events.values().removeIf(e -> e.type().equals("escalation.raised"));
        assertOnly(Findings::lost, judge(), "never escalated to SUPERVISOR");
    }

    @Test
    void aSecondReceivedEventWithAnotherIdIsDoubled() {
        audited(received(T0.plusMillis(5)));
        assertOnly(Findings::doubled, judge(), "2 complaint.received (at most 1)");
    }

    @Test
    void anEscalationRaisedTwiceForOneCrossingIsDoubled() {
        UUID second = UUID.randomUUID();
        audited(escalatedToSupervisor(second), T0.plusMillis(3));
        complaint.escalationsAcknowledged.put(second.toString(), T0.plusSeconds(2));
        assertOnly(Findings::doubled, judge(), "2 escalations to SUPERVISOR");
    }

    @Test
    void aCaseAssignedTwiceForOneEscalationIsDoubled() {
        audited(assigned(escalationId), T0.plusMillis(3));
        assertOnly(Findings::doubled, judge(), "2 case.assigned for escalation " + escalationId);
    }

    @Test
    void anEventWithTwoAuditEntriesIsDoubled() {
        Event resolved = first("case.resolved");
        audit.put(resolved.id(), 2);
        assertOnly(Findings::doubled, judge(), "2 audit entries for case.resolved " + resolved.id());
    }

    @Test
    void aDeadlineBreachedAlthoughTheAcknowledgementCameInTimeIsAFalseBreach() {
        Instant due = T0.plusSeconds(20);
        audited(breached(UUID.randomUUID(), "ACKNOWLEDGEMENT", due), due.plusMillis(300));
        assertOnly(
                Findings::falseBreaches,
                judge(),
                "ACKNOWLEDGEMENT due " + due + " breached, but met at " + complaint.acknowledgedAt);
    }

    @Test
    void anEscalationBreachedAlthoughItWasAcknowledgedInTimeIsAFalseBreach() {
        audited(breached(UUID.randomUUID(), "ESCALATION_RESPONSE", escalationDue), escalationDue.plusMillis(300));
        assertOnly(Findings::falseBreaches, judge(), "ESCALATION_RESPONSE due " + escalationDue + " breached");
    }

    @Test
    void aBreachAnnouncedBeforeItsDueTimeIsAFalseBreach() {
        complaint.resolvedAt = null;
        complaint.resolutionUnknown = true;
        Instant due = T0.plusSeconds(40);
        audited(breached(UUID.randomUUID(), "FINAL_RESPONSE", due), due.minusSeconds(1));
        assertOnly(
                Findings::falseBreaches,
                judge(),
                "FINAL_RESPONSE breached at " + due.minusSeconds(1) + ", before its due time");
    }

    @Test
    void aDeadlineTheLoadMissedMayBreach() {
        complaint.acknowledgedAt = T0.plusSeconds(25);
        Instant due = T0.plusSeconds(20);
        audited(breached(UUID.randomUUID(), "ACKNOWLEDGEMENT", due), due.plusMillis(300));
        assertTrue(judge().holds(), "the acknowledgement's answer came after the due time: a true breach");
    }

    @Test
    void aBreachWithdrawnByACorrectionIsNotCounted() {
        UUID deadline = UUID.randomUUID();
        Instant due = T0.plusSeconds(30);
        Event breach = audited(breached(deadline, "FIRST_RESPONSE", due), due.plusMillis(300));
        audited(
                new DeadlineCorrected(
                        deadline,
                        caseId,
                        REFERENCE,
                        "FIRST_RESPONSE",
                        "DEMO",
                        due,
                        T0.plusSeconds(1),
                        "BREACHED",
                        UUID.fromString(breach.id()),
                        "the acknowledgement arrived late"),
                due.plusSeconds(1));
        assertTrue(judge().holds(), "withdrawn by deadline.corrected");
    }

    @Test
    void aPoisonRecordIsNoEvent() {
        assertNull(Event.of("not json {"));
        assertNull(Event.of("{\"id\":\"x\"}"));
    }

    @Test
    void aDeadlineBreachedTwiceIsDoubled() {
        complaint.acknowledgedAt = T0.plusSeconds(25);
        UUID deadline = UUID.randomUUID();
        Instant due = T0.plusSeconds(20);
        audited(breached(deadline, "ACKNOWLEDGEMENT", due), due.plusMillis(300));
        audited(breached(deadline, "ACKNOWLEDGEMENT", due), due.plusMillis(400));
        assertOnly(Findings::doubled, judge(), "deadline " + deadline + " breached more than once");
    }

    @Test
    void aVerifyThatFailsOrDoesNotAnswerDoesNotHold() throws Exception {
        verify = ApiClient.JSON.readTree("{\"ok\":false,\"firstBadSeq\":12}");
        Findings f = judge();
        assertFalse(f.verified());
        assertFalse(f.holds());
        assertTrue(f.verify().contains("firstBadSeq"), f.verify());

        verify = null;
        f = judge();
        assertFalse(f.verified());
        assertFalse(f.holds());
        assertEquals("no answer", f.verify());
    }

    @Test
    void anAuditExportOrCaseListThatCouldNotBeReadIsReportedAsLost() {
        Observed seen = new Observed(
                Map.of(caseId.toString(), events),
                audit,
                READ_AT,
                null,
                "GET /audit/export answered 503",
                Set.of(caseId.toString()),
                verify);
        Set<String> lost = Checks.judge(List.of(complaint), seen).lost();
        assertTrue(lost.contains("audit export: GET /audit/export answered 503"), lost.toString());
        assertTrue(lost.contains("intake's case list did not answer"), lost.toString());
    }

    private Findings judge() {
        return judge(Set.of(caseId.toString()), Set.of(caseId.toString()));
    }

    private Findings judge(Set<String> intakeCases, Set<String> deadlinesComplete) {
        Observed seen = new Observed(
                Map.of(caseId.toString(), events), audit, READ_AT, intakeCases, null, deadlinesComplete, verify);
        return Checks.judge(List.of(complaint), seen);
    }

    /** {@code f} found one problem in all, of this kind, about this complaint, and containing {@code what}. */
    private void assertOnly(Function<Findings, Set<String>> kind, Findings f, String what) {
        assertEquals(1, f.lost().size() + f.doubled().size() + f.falseBreaches().size(), "one problem in all: " + f);
        Set<String> problems = kind.apply(f);
        assertEquals(1, problems.size(), f.toString());
        String problem = problems.iterator().next();
        assertTrue(problem.startsWith(complaint.id + " (CRITICAL, DEMO): ") && problem.contains(what), problem);
        assertTrue(f.verified(), f.verify());
    }

    private ComplaintReceived received(Instant at) {
        return ComplaintReceived.builder()
                .caseId(caseId)
                .reference(REFERENCE)
                .customer(new Customer("F-1", "Fault Suite 1", "f-1@example.org", null))
                .channel(Channel.WEB)
                .category("billing")
                .product("current account")
                .summary("Load complaint 1 of the fault suite")
                .severity(Severity.CRITICAL)
                .level(EscalationLevel.AGENT)
                .status(CaseStatus.OPEN)
                .regulatoryProfile("DEMO")
                .receivedAt(at)
                .registeredAt(at)
                .build();
    }

    private void audited(ComplaintReceived received) {
        audited(received, received.registeredAt());
    }

    private InteractionRecorded interaction(UUID id, InteractionKind kind, Direction direction, Instant at) {
        return new InteractionRecorded(
                caseId,
                REFERENCE,
                id,
                kind,
                "text",
                direction,
                direction == null ? null : Channel.PHONE,
                null,
                null,
                null,
                at,
                null,
                null,
                List.of());
    }

    /** The rule "critical" escalating the case to SUPERVISOR, its response due at {@link #escalationDue}. */
    private EscalationRaised escalatedToSupervisor(UUID escalation) {
        return EscalationRaised.builder()
                .escalationId(escalation)
                .caseId(caseId)
                .reference(REFERENCE)
                .level(EscalationLevel.SUPERVISOR)
                .previousLevel(EscalationLevel.AGENT)
                .severity(Severity.CRITICAL)
                .reason("critical severity")
                .ruleId("critical")
                .ruleVersion(1)
                .briefing("A critical complaint")
                .responseDueAt(escalationDue)
                .build();
    }

    /** The case's first event of {@code type}. */
    private Event first(String type) {
        return events.values().stream()
                .filter(e -> e.type().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private CaseAssigned assigned(UUID escalation) {
        return new CaseAssigned(
                caseId,
                REFERENCE,
                null,
                EscalationLevel.SUPERVISOR,
                Severity.CRITICAL,
                null,
                EscalationLevel.AGENT,
                "A critical complaint",
                escalation);
    }

    private DeadlineBreached breached(UUID deadline, String kind, Instant due) {
        return new DeadlineBreached(deadline, caseId, REFERENCE, kind, "DEMO", due);
    }

    /** The event as it would be on its topic, with its one audit entry. */
    private Event audited(CasePayload payload, Instant at) {
        Event e = event(payload, at);
        events.put(e.id(), e);
        audit.put(e.id(), 1);
        return e;
    }

    private static Event event(CasePayload payload, Instant at) {
        return Event.of(
                EventCodec.encode(CaseEvent.create("/test", Actor.system("test"), null, payload, null, null, at)));
    }
}
