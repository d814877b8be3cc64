package redress.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.hibernate.SessionFactory;
import org.hibernate.stat.QueryStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.payload.CaseAssigned;
import redress.events.payload.EscalationAcknowledged;
import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.Calendars;
import redress.followup.consume.FollowupConsumer;
import redress.testsupport.DriverLog;
import redress.testsupport.ThrownExceptions;

/**
 * Issue 30, cost per complaint: how many statements one consumed batch makes, pinned so that a change
 * which adds one per event fails here (docs/performance.md, "Where the rest goes").
 *
 * <p>Counted from the PostgreSQL wire protocol as the driver speaks it (its FINEST log of the
 * messages it sends), on the test's thread, which runs the batch's transaction: blind to what the
 * outbox relay and the service's own consumers do meanwhile. A statement is an Execute (BEGIN and
 * COMMIT included); a JDBC batch of inserts rewritten into one multi-row insert is one.
 */
@QuarkusTest
@TestSecurity(user = "ana", roles = "agent")
class StatementsPerBatchTest extends Flows {

    static final int N = 10;
    static final String PROFILE = "UK_FCA_DISP";
    /** The profile's calendar. */
    static final String CALENDAR = "GB-EAW";

    @Inject
    FollowupConsumer consumer;

    /** What the driver sent on the test's thread during one batch. */
    record Traffic(List<String> messages) {

        long statements() {
            return DriverLog.statements(messages);
        }

        /** Waits for the server: one a Sync. */
        long roundTrips() {
            return DriverLog.roundTrips(messages);
        }

        /** Statements given only the calendar's name: its revision read (the calendar is built already). */
        long calendarReads() {
            return messages.stream()
                    .filter(m ->
                            m.startsWith("FE=> Bind") && m.contains("$1=<('" + CALENDAR + "')>") && !m.contains("$2="))
                    .count();
        }

        /** The statements' text where sent, or the name of a statement the server has prepared. */
        List<String> sql() {
            return DriverLog.sql(messages, 200);
        }

        String describe() {
            return statements() + " statements, " + roundTrips() + " round trips, " + calendarReads()
                    + " calendar revision reads:\n  " + String.join("\n  ", sql());
        }
    }

    /** The driver's protocol log of one consumed batch, on this thread. */
    static Traffic traffic(Runnable call) {
        return new Traffic(DriverLog.onThisThread(call));
    }

    /** The values as one poll's records of partition 0 of a topic of this test's own. */
    static ConsumerRecords<String, String> batch(List<CaseEvent> events) {
        String topic = "followup-statements-" + UUID.randomUUID();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            CaseEvent e = events.get(i);
            records.add(new ConsumerRecord<>(topic, 0, i, e.subject(), EventCodec.encode(e)));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), records), Map.of());
    }

    /** N new cases, each the event {@code of} makes for it at t. */
    static List<CaseEvent> events(List<TestCase> cases, Function<TestCase, CaseEvent> of) {
        return cases.stream().map(of).toList();
    }

    @Test
    void aBatchOfReceiptsAndOneOfHandOversMakeAFixedNumberOfStatementsAndReadTheCalendarOnce() throws Exception {
        // Later than every other test's times (a Wednesday), and what they left due fired first: the
        // wake counted below fires this test's deadlines only, whichever tests ran before it.
        Instant t0 = Instant.parse("2027-06-16T10:00:00Z");
        clock.set(t0.plusSeconds(60));
        awaitUntil(() -> readThrough.now().map(r -> !r.isBefore(t0)).orElse(false));
        waker.wakeNow();
        // Warm: the calendar built, the profile's version read, the driver's statements prepared.
        List<TestCase> warm = List.of(new TestCase(), new TestCase());
        consumer.events(batch(events(warm, c -> c.received(t0, PROFILE))));

        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            cases.add(new TestCase());
        }
        Traffic receipts = traffic(() -> consumer.events(batch(events(cases, c -> c.received(t0, PROFILE)))));
        System.out.println(N + " receipts: " + receipts.describe());
        Traffic handOvers = traffic(() -> consumer.escalations(batch(events(
                cases,
                c -> FlowTest.escalated(
                        c,
                        t0.plusSeconds(30),
                        UUID.randomUUID(),
                        EscalationLevel.AGENT,
                        EscalationLevel.SUPERVISOR)))));
        System.out.println(N + " hand-overs: " + handOvers.describe());

        for (TestCase c : cases) {
            assertEquals(4, deadlines(c.id).size(), "the profile's three and the hand-over's: " + c.id);
            assertEquals(
                    1, count("SELECT count(*) FROM progress_update WHERE case_id = ?", c.id), "a reminder: " + c.id);
        }
        // The waker, once the acknowledgement deadlines and the hand-overs' response deadlines are past
        // due: every one breached in one transaction of the deadlines, at a fixed number of round trips.
        Instant late = Instant.parse("2027-06-17T16:00:01Z");
        clock.set(late);
        awaitUntil(() -> readThrough.now().map(r -> !r.isBefore(late)).orElse(false));
        Traffic wake = traffic(() -> waker.wakeNow());
        System.out.println("waking " + 2 * N + " breaches: " + wake.describe());
        for (TestCase c : cases) {
            assertEquals("BREACHED", FlowTest.deadline(c.id, "ACKNOWLEDGEMENT").get("status"), "breached: " + c.id);
        }
        // Per receipt of a new case: its case's row updated. Per batch: BEGIN, the calendars held
        // steady (the lock a calendar change takes alone, shared), the ledger's claim, the
        // cases' rows made, then locked and read, the profile's current version, the calendar's
        // revision, the receipts' deadlines and reminders inserted (a JDBC batch a table, which the
        // driver sends as multi-row INSERTs in powers of two: 30 deadlines in 4, 10 reminders in 2),
        // COMMIT. Before issue 30's per-batch reads: 14 a receipt and 4 a batch (144); before a run
        // of receipts was flushed once: 6 a receipt and 6 a batch (66: the case's row read, its open
        // reminder looked for, its inserts its own).
        assertTrue(receipts.statements() <= N + 14, "one statement a receipt; " + receipts.describe());
        assertTrue(receipts.roundTrips() <= 12, "round trips whatever the number of receipts; " + receipts.describe());
        // Per hand-over: the case's row, its notices counted, the customer notice's outbox row and the
        // notice, the response deadline; and the batch's own, the calendars' shared lock among them.
        // Before: 9 a hand-over and 4 a batch (94).
        assertTrue(handOvers.statements() <= 5 * N + 6, "at most 5 statements a hand-over; " + handOvers.describe());
        assertTrue(receipts.calendarReads() <= 1, "the calendar's revision read once a batch; " + receipts.describe());
        assertTrue(
                handOvers.calendarReads() <= 1, "the calendar's revision read once a batch; " + handOvers.describe());

        // Each wakeable's transaction: the calendars held steady (their shared lock, before any row),
        // its due rows locked, their cases' outbox locks tried, (the deadlines': their cases read,
        // their events appended as one batch, their updates as one batch), COMMIT; and the
        // read-through check. Before: three more for each breach (the calendar's revision, the case,
        // the outbox row); before the calendars' lock, 20 at most.
        assertTrue(wake.roundTrips() <= 24, "at most 24 round trips, whatever the number fired; " + wake.describe());
        assertTrue(wake.calendarReads() <= 1, "the calendar's revision read once a batch; " + wake.describe());
    }

    /**
     * An event that changes nothing of a case's state here (a case assigned to an agent: no deadline,
     * reminder or notice depends on who holds the case) writes nothing: no {@code UPDATE} of the
     * case's row only to stamp its time. Before, each such event updated the row (10 assignments:
     * 24 statements, 10 of them those updates; now 14).
     */
    @Test
    void anEventThatChangesNothingHereWritesNothing() throws Exception {
        Instant t0 = Instant.parse("2026-06-17T10:00:00Z");
        clock.set(t0.plusSeconds(60));
        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            cases.add(new TestCase());
        }
        consumer.events(batch(events(cases, c -> c.received(t0, PROFILE))));
        String stampedAtReceipt = "SELECT count(*) FROM case_state WHERE case_id = ? AND updated_at = timestamptz '"
                + t0.plusSeconds(60) + "'";
        for (TestCase c : cases) {
            assertEquals(1, count(stampedAtReceipt, c.id), "the receipt stamped the row: " + c.id);
        }
        clock.set(t0.plusSeconds(120));
        Traffic assignments = traffic(() -> consumer.events(batch(events(
                cases,
                c -> c.at(
                        t0.plusSeconds(90),
                        new CaseAssigned(
                                c.id,
                                c.reference,
                                "ana",
                                EscalationLevel.AGENT,
                                Severity.HIGH,
                                null,
                                EscalationLevel.AGENT,
                                "yours",
                                null))))));
        System.out.println(N + " assignments: " + assignments.describe());
        // Per assignment: its case's row read (locked with the batch's). Per batch: BEGIN, the ledger's
        // claim, the cases' rows made and locked, COMMIT.
        assertTrue(
                assignments.statements() <= N + 6,
                "an assignment reads its case's row and writes nothing; " + assignments.describe());
        for (TestCase c : cases) {
            assertEquals(1, count(stampedAtReceipt, c.id), "the row is as the receipt left it: " + c.id);
        }
    }

    @Inject
    SessionFactory sessionFactory;

    /**
     * Every HQL query a batch runs for each of its events is translated to SQL once and then taken
     * from Hibernate's plan cache. Two kinds were not kept there, so were translated again for every
     * event: a query with a list bound to a parameter ({@code state in ?2}: a reminder looked for at
     * each receipt and acknowledgement, the deadlines an acknowledgement or an escalation's answer
     * may meet, what a reopening forgets and cancels), each time after an exception Hibernate throws
     * and catches trying the list as one value (about one a complaint in a JFR recording of the
     * system benchmark); and Panache's {@code count}, whose query Hibernate derives anew each time
     * (the customer notice already suggested for an escalation). Counted from Hibernate's statistics
     * (on in the test profile), which note a hit for a query's parsed HQL and another for its SQL
     * plan: a query run once an event for N cases must have had both from the cache after its first
     * run. And nothing thrown inside Hibernate while the batches were applied (a flight recording of
     * the JVM's exceptions).
     */
    @Test
    void theQueriesRunForEachEventAreTakenFromThePlanCache() throws Exception {
        // Later than the other tests' times: nothing of this one falls due when they wake the waker.
        Instant t0 = Instant.parse("2027-03-10T10:00:00Z");
        clock.set(t0.plusSeconds(60));
        List<TestCase> cases = new ArrayList<>();
        Map<UUID, UUID> escalations = new HashMap<>();
        for (int i = 0; i < N; i++) {
            TestCase c = new TestCase();
            cases.add(c);
            escalations.put(c.id, UUID.randomUUID());
        }
        // Warm: the profile's calendar built (once, not once an event: its holidays are read by region).
        consumer.events(batch(events(List.of(new TestCase()), c -> c.received(t0, PROFILE))));
        Statistics stats = sessionFactory.getStatistics();
        stats.clear();
        List<ThrownExceptions.Thrown> thrown = ThrownExceptions.during(
                () -> {
                    consumer.events(batch(events(cases, c -> c.received(t0, PROFILE))));
                    consumer.escalations(batch(events(
                            cases,
                            c -> FlowTest.escalated(
                                    c,
                                    t0.plusSeconds(10),
                                    escalations.get(c.id),
                                    EscalationLevel.AGENT,
                                    EscalationLevel.SUPERVISOR))));
                    consumer.events(batch(events(cases, c -> c.acknowledged(t0.plusSeconds(20)))));
                    consumer.escalations(batch(events(
                            cases,
                            c -> c.at(
                                    t0.plusSeconds(30),
                                    new EscalationAcknowledged(
                                            escalations.get(c.id),
                                            c.id,
                                            c.reference,
                                            EscalationLevel.SUPERVISOR,
                                            "lead")))));
                    // Then worked to its close, as the system benchmark's mix works each case, with a reopening.
                    consumer.events(batch(
                            events(cases, c -> c.status(t0.plusSeconds(40), CaseStatus.OPEN, CaseStatus.IN_PROGRESS))));
                    consumer.events(batch(events(
                            cases, c -> c.response(t0.plusSeconds(50), InteractionKind.SOLUTION_OFFERED, null, null))));
                    consumer.events(batch(events(cases, c -> c.resolved(t0.plusSeconds(60)))));
                    consumer.events(batch(events(cases, c -> c.reopened(t0.plusSeconds(65)))));
                    consumer.events(batch(events(cases, c -> c.resolved(t0.plusSeconds(68)))));
                    consumer.events(batch(
                            events(cases, c -> c.status(t0.plusSeconds(70), CaseStatus.RESOLVED, CaseStatus.CLOSED))));
                },
                "org.hibernate.");
        for (TestCase c : cases) {
            assertEquals("MET", FlowTest.deadline(c.id, "ACKNOWLEDGEMENT").get("status"), "applied: " + c.id);
            assertEquals(
                    1,
                    count("SELECT count(*) FROM case_state WHERE case_id = ? AND status = 'CLOSED'", c.id),
                    "closed: " + c.id);
        }

        List<String> replanned = new ArrayList<>();
        for (String query : stats.getQueries()) {
            QueryStatistics q = stats.getQueryStatistics(query);
            if (q.getExecutionCount() >= N && q.getPlanCacheHitCount() < 2 * (q.getExecutionCount() - 1)) {
                replanned.add(query + " (run " + q.getExecutionCount() + " times, from the cache "
                        + q.getPlanCacheHitCount() + ")");
            }
        }
        assertEquals(List.of(), replanned, "queries translated again on every run");
        // On this thread, which applied the batches: the service's own consumers may meanwhile apply
        // what other tests left on the topics.
        String me = Thread.currentThread().getName();
        assertEquals(
                List.of(),
                thrown.stream().filter(t -> t.thread().equals(me)).toList(),
                "exceptions thrown inside Hibernate");
    }

    @Inject
    Calendars calendars;

    /**
     * The calendar read once a transaction: a change made in the transaction is seen in it (a holiday
     * import's own recomputation depends on it), and one committed by another is seen by the next
     * transaction, as the next consumed batch.
     */
    @Test
    void aCalendarReadOnceATransactionSeesItsOwnChangeAndTheNextTransactionSeesAnothers() {
        String name = "MEMO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        Map<DayOfWeek, BusinessCalendar.WorkingDay> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(
                DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            hours.put(d, BusinessCalendar.WorkingDay.parse("09:00", "17:00"));
        }
        calendars.put(name, ZoneId.of("Europe/London"), null, hours);
        LocalDate wednesday = LocalDate.parse("2026-07-01");
        LocalDate thursday = wednesday.plusDays(1);

        QuarkusTransaction.requiringNew().run(() -> {
            assertTrue(calendars.get(name).isBusinessDay(wednesday));
            calendars.importHolidays(name, List.of(new Calendars.NewHoliday(wednesday, "one")));
            assertFalse(calendars.get(name).isBusinessDay(wednesday), "the transaction's own change");
        });
        QuarkusTransaction.requiringNew()
                .run(() -> assertTrue(calendars.get(name).isBusinessDay(thursday)));
        calendars.importHolidays(name, List.of(new Calendars.NewHoliday(thursday, "two")));
        QuarkusTransaction.requiringNew()
                .run(() -> assertFalse(
                        calendars.get(name).isBusinessDay(thursday), "another transaction's, committed before"));
    }
}
