package redress.intake.complaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import redress.events.CaseStatus;
import redress.events.EscalationLevel;
import redress.events.InteractionKind;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;

/**
 * The case lifecycle of ARCHITECTURE.md ("Case model"), pair by pair, on the entity itself: every
 * allowed move changes the case as the table says, every other one is a 409 naming the current
 * status and leaves the case as it was. Plain JUnit: no Quarkus, no database.
 */
class TransitionsTest {

    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    static final Instant T1 = Instant.parse("2026-03-02T10:30:00.123456Z");

    /** What {@code POST /status} may do, straight from the contract's table. */
    static final Map<CaseStatus, Set<CaseStatus>> VIA_STATUS = Map.of(
            CaseStatus.OPEN, EnumSet.of(CaseStatus.IN_PROGRESS),
            CaseStatus.IN_PROGRESS, EnumSet.of(CaseStatus.AWAITING_CUSTOMER),
            CaseStatus.AWAITING_CUSTOMER, EnumSet.of(CaseStatus.IN_PROGRESS),
            CaseStatus.RESOLVED, EnumSet.of(CaseStatus.CLOSED, CaseStatus.REOPENED),
            CaseStatus.CLOSED, EnumSet.of(CaseStatus.REOPENED),
            CaseStatus.REOPENED, EnumSet.of(CaseStatus.IN_PROGRESS));

    static final Set<CaseStatus> RESOLVABLE =
            EnumSet.of(CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_CUSTOMER);

    static Stream<Arguments> everyPair() {
        return EnumSet.allOf(CaseStatus.class).stream()
                .flatMap(from -> EnumSet.allOf(CaseStatus.class).stream().map(to -> Arguments.of(from, to)));
    }

    /** A case brought to {@code status} the way a user would get it there, through the entity's own methods. */
    static Complaint caseIn(CaseStatus status) {
        Complaint c = new Complaint();
        c.receive(T0, T0);
        switch (status) {
            case OPEN -> {}
            case IN_PROGRESS -> c.changeStatus(CaseStatus.IN_PROGRESS, null, T0);
            case AWAITING_CUSTOMER -> {
                c.changeStatus(CaseStatus.IN_PROGRESS, null, T0);
                c.changeStatus(CaseStatus.AWAITING_CUSTOMER, null, T0);
            }
            case RESOLVED -> c.resolve("refunded", T0);
            case CLOSED -> {
                c.resolve("refunded", T0);
                c.changeStatus(CaseStatus.CLOSED, null, T0);
            }
            case REOPENED -> {
                c.resolve("refunded", T0);
                c.changeStatus(CaseStatus.REOPENED, "refund bounced", T0);
            }
        }
        assertEquals(status, c.status());
        return c;
    }

    record Snapshot(CaseStatus status, Instant closedAt, Instant resolvedAt, int reopenCount, Instant updatedAt) {
        static Snapshot of(Complaint c) {
            return new Snapshot(c.status(), c.closedAt(), c.resolvedAt(), c.reopenCount(), c.updatedAt());
        }
    }

    @ParameterizedTest(name = "{0} -> {1} via POST /status")
    @MethodSource("everyPair")
    void everyStatusChangeIsAllowedOrRefusedNamingTheCurrentStatus(CaseStatus from, CaseStatus to) {
        Complaint c = caseIn(from);
        Snapshot before = Snapshot.of(c);
        if (VIA_STATUS.get(from).contains(to)) {
            Complaint.StatusChange change = c.changeStatus(to, "a reason", T1);
            assertEquals(new Complaint.StatusChange(from, to), change);
            assertEquals(to, c.status());
            assertEquals(T1, c.updatedAt());
            assertEquals(
                    to == CaseStatus.CLOSED ? T1 : to == CaseStatus.REOPENED ? null : before.closedAt(), c.closedAt());
            assertEquals(before.reopenCount() + (to == CaseStatus.REOPENED ? 1 : 0), c.reopenCount());
        } else {
            ProblemException refused = assertThrows(ProblemException.class, () -> c.changeStatus(to, "a reason", T1));
            Problem p = refused.problem();
            assertEquals(409, p.status());
            assertEquals("urn:redress:problem:transition-not-allowed", p.type());
            assertEquals(from.name(), p.currentStatus());
            if (to == CaseStatus.RESOLVED) {
                assertTrue(p.detail().contains("/resolution"), "points to the resolution endpoint: " + p.detail());
            } else {
                assertTrue(p.detail().contains("A " + from + " case cannot move to " + to), p.detail());
            }
            assertEquals(before, Snapshot.of(c), "a refused change leaves the case as it was");
        }
    }

    @ParameterizedTest(name = "resolve a {0} case")
    @EnumSource(CaseStatus.class)
    void onlyOpenWorkIsResolved(CaseStatus from) {
        Complaint c = caseIn(from);
        Snapshot before = Snapshot.of(c);
        if (RESOLVABLE.contains(from)) {
            assertEquals(from, c.resolve("refunded the second debit", T1));
            assertEquals(CaseStatus.RESOLVED, c.status());
            assertEquals(T1, c.resolvedAt());
            assertEquals("refunded the second debit", c.resolutionSummary());
        } else {
            Problem p = assertThrows(ProblemException.class, () -> c.resolve("again", T1))
                    .problem();
            assertEquals(409, p.status());
            assertEquals(from.name(), p.currentStatus());
            assertEquals(before, Snapshot.of(c));
        }
    }

    @ParameterizedTest(name = "reopen a {0} case without a reason")
    @EnumSource(
            value = CaseStatus.class,
            names = {"RESOLVED", "CLOSED"})
    void reopeningNeedsAReason(CaseStatus from) {
        for (String reason : new String[] {null, "", "   "}) {
            Complaint c = caseIn(from);
            Problem p = assertThrows(ProblemException.class, () -> c.changeStatus(CaseStatus.REOPENED, reason, T1))
                    .problem();
            assertEquals(400, p.status());
            assertEquals("reason", p.errors().get(0).field());
            assertEquals(from, c.status());
        }
    }

    @Test
    void aRefusedReopenIsA409EvenWithoutAReason() {
        Problem p = assertThrows(
                        ProblemException.class,
                        () -> caseIn(CaseStatus.OPEN).changeStatus(CaseStatus.REOPENED, null, T1))
                .problem();
        assertEquals(409, p.status());
        assertEquals("OPEN", p.currentStatus());
    }

    @ParameterizedTest(name = "first agent interaction on a {0} case")
    @EnumSource(CaseStatus.class)
    void theFirstAgentInteractionStartsWorkOnlyOnAWaitingCase(CaseStatus from) {
        Complaint c = caseIn(from);
        Optional<Complaint.StatusChange> change = c.startWorkIfWaiting(T1);
        if (from == CaseStatus.OPEN || from == CaseStatus.REOPENED) {
            assertEquals(Optional.of(new Complaint.StatusChange(from, CaseStatus.IN_PROGRESS)), change);
            assertEquals(CaseStatus.IN_PROGRESS, c.status());
        } else {
            assertEquals(Optional.empty(), change);
            assertEquals(from, c.status());
        }
    }

    @ParameterizedTest(name = "dissatisfied follow-up on a {0} case")
    @EnumSource(CaseStatus.class)
    void aDissatisfiedCustomerReopensOnlyASettledCase(CaseStatus from) {
        Complaint c = caseIn(from);
        int reopened = c.reopenCount();
        Optional<Complaint.StatusChange> change = c.reopenIfSettled(T1);
        if (from == CaseStatus.RESOLVED || from == CaseStatus.CLOSED) {
            assertEquals(Optional.of(new Complaint.StatusChange(from, CaseStatus.REOPENED)), change);
            assertEquals(reopened + 1, c.reopenCount());
            assertEquals(null, c.closedAt());
        } else {
            assertEquals(Optional.empty(), change);
            assertEquals(from, c.status());
            assertEquals(reopened, c.reopenCount());
        }
    }

    @ParameterizedTest(name = "assign a {0} case")
    @EnumSource(CaseStatus.class)
    void anyCaseButAClosedOneIsReassigned(CaseStatus from) {
        Complaint c = caseIn(from);
        if (from == CaseStatus.CLOSED) {
            Problem p = assertThrows(ProblemException.class, () -> c.assign("sam", EscalationLevel.TEAM_LEAD, T1))
                    .problem();
            assertEquals(409, p.status());
            assertEquals("CLOSED", p.currentStatus());
            assertEquals(null, c.assignee());
            assertEquals(EscalationLevel.AGENT, c.level());
        } else {
            assertEquals(
                    new Complaint.Handover(null, EscalationLevel.AGENT),
                    c.assign("sam", EscalationLevel.TEAM_LEAD, T1));
            assertEquals(
                    new Complaint.Handover("sam", EscalationLevel.TEAM_LEAD), c.escalate(EscalationLevel.MANAGER, T1));
            assertEquals(null, c.assignee(), "an escalation leaves the case in the level's queue");
            assertEquals(EscalationLevel.MANAGER, c.level());
        }
    }

    @Test
    void aClosedCaseTakesNoInteractionsAndTheFirstAcknowledgementIsStampedOnce() {
        Problem p = assertThrows(
                        ProblemException.class, () -> caseIn(CaseStatus.CLOSED).checkTakesInteractions())
                .problem();
        assertEquals(409, p.status());
        assertEquals("CLOSED", p.currentStatus());

        Complaint c = caseIn(CaseStatus.OPEN);
        c.checkTakesInteractions();
        assertEquals(false, c.interactionRecorded(InteractionKind.NOTE, T0, T0));
        // An acknowledgement sent at T0 and recorded at T1 dates from T0.
        assertEquals(true, c.interactionRecorded(InteractionKind.ACKNOWLEDGEMENT, T0, T1));
        assertEquals(false, c.interactionRecorded(InteractionKind.ACKNOWLEDGEMENT, T1, T1.plusSeconds(60)));
        assertEquals(T0, c.acknowledgedAt());
    }
}
