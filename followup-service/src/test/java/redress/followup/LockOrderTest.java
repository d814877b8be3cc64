package redress.followup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import redress.events.CaseEvent;
import redress.events.Topics;
import redress.followup.calendar.PendingHolidayChanges;
import redress.support.ledger.ProcessedEvents;

/**
 * Transactions that lock a case's rows take them in one order, or wait for none, so that they cannot
 * deadlock (PostgreSQL's {@code 40P01}: a second's wait and a retry). The waker's batch spans cases,
 * and so does another transaction appending for them (another replica's waker, a consumer batch):
 * the waker must not wait for one case's outbox lock while it holds another's. A consumer batch
 * locks its cases' state rows first; an agent's outcome of a follow-up does too.
 */
@QuarkusTest
@TestSecurity(user = "ana", roles = "agent")
class LockOrderTest extends Flows {

    static final String DEADLOCK = "40P01";

    /** Takes the outbox's lock on {@code caseId}'s key in {@code c}'s transaction, as an append does. */
    static void lockCase(Connection c, UUID caseId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 7))")) {
            s.setString(1, caseId.toString());
            s.executeQuery().close();
        }
    }

    /**
     * Takes the calendars' lock shared in {@code c}'s transaction, as a batch computing due times
     * does (a replica paused in the middle of one holds it so).
     */
    static void holdCalendarsShared(Connection c) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT pg_advisory_xact_lock_shared(hashtext('redress.calendars'), 0)")) {
            s.executeQuery().close();
        }
    }

    long deadlocks() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet r =
                    s.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The SQL states along {@code t}'s causes. */
    static List<String> sqlStates(Throwable t) {
        List<String> states = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e) {
                for (SQLException n = e; n != null; n = n.getNextException()) {
                    states.add(n.getSQLState());
                }
            }
        }
        return states;
    }

    @Test
    void aBatchOfDuePromisesOverTwoCasesDoesNotDeadlockWithAnotherTransactionOnThemInTheOtherOrder() throws Exception {
        Instant t0 = Instant.parse("2032-03-02T10:00:00Z");
        TestCase x = newCaseAt(t0);
        TestCase y = new TestCase();
        UUID onX = UUID.randomUUID();
        UUID onY = UUID.randomUUID();
        // X's promise first in the waker's batch (due sooner), then Y's.
        send(
                x.promiseMade(t0, onX, "Call back in a minute", t0.plusSeconds(60)),
                y.promiseMade(t0, onY, "Call back in two", t0.plusSeconds(120)));
        awaitUntil(() -> count("SELECT count(*) FROM promise WHERE id = ? AND state = 'PENDING'", onY) == 1);
        Instant t = t0.plusSeconds(600);
        clock.set(t);
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> readThrough.now().map(r -> !r.isBefore(t)).orElse(false));
        long deadlocksBefore = deadlocks();

        List<String> states = new ArrayList<>();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("SET LOCAL statement_timeout = '20s'");
            }
            // Another transaction holds case Y, and will go on to case X.
            lockCase(other, y.id);
            CompletableFuture<Integer> woken = CompletableFuture.supplyAsync(() -> waker.wakeNow());
            // The waker is done, or waits for a lock (Y's, holding X's).
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> woken.isDone() || waiting() > 0);
            try {
                lockCase(other, x.id);
                other.commit();
            } catch (SQLException e) {
                states.addAll(sqlStates(e));
                other.rollback();
            }
            try {
                woken.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                states.addAll(sqlStates(e));
            }
        }
        assertTrue(!states.contains(DEADLOCK), "deadlock detected: " + states);
        assertEquals(List.of(), states, "no failure on either side");
        // X's promise was fired; Y's, whose case was busy, is fired by the next pass.
        assertEquals(1, count("SELECT count(*) FROM promise WHERE id = ? AND state = 'MISSED'", onX));
        waker.wakeNow();
        assertEquals(1, count("SELECT count(*) FROM promise WHERE id = ? AND state = 'MISSED'", onY));
        Thread.sleep(1000); // the server's statistics are flushed at most a second late
        assertEquals(deadlocksBefore, deadlocks(), "deadlocks in the database");
    }

    @Test
    void anOutcomeDoesNotDeadlockWithAConsumerBatchOnItsCase() throws Exception {
        Instant t0 = Instant.parse("2032-03-09T10:00:00Z");
        TestCase c = newCaseAt(t0);
        send(c.received(t0, "DEMO"), c.resolved(t0.plusSeconds(10)));
        awaitUntil(() -> count("SELECT count(*) FROM followup WHERE case_id = ?", c.id) == 1);
        Map<String, Object> f = given().queryParam("caseId", c.id.toString())
                .get("/followups")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items[0]");
        String id = (String) f.get("id");
        wakeAt(Instant.parse((String) f.get("dueAt")).plusSeconds(1), c.id);
        assertEquals(1, count("SELECT count(*) FROM followup WHERE case_id = ? AND state = 'DUE'", c.id));
        long deadlocksBefore = deadlocks();

        List<String> states = new ArrayList<>();
        int status;
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("SET LOCAL statement_timeout = '20s'");
            }
            // A consumer batch: the case's state locked, an event of the case emitted ...
            try (PreparedStatement s =
                    other.prepareStatement("SELECT case_id FROM case_state WHERE case_id = ? FOR UPDATE")) {
                s.setObject(1, c.id);
                s.executeQuery().close();
            }
            lockCase(other, c.id);
            CompletableFuture<Integer> outcome =
                    CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                            .body("{\"reached\":true,\"satisfied\":true}")
                            .post("/followups/{id}/outcome", id)
                            .statusCode());
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> outcome.isDone() || waitingForALock() > 0);
            // ... and a later event of it cancels the follow-up (the case reopened).
            try (PreparedStatement s = other.prepareStatement(
                    "UPDATE followup SET state = 'CANCELLED', next_at = NULL, version = version + 1 WHERE id = ?")) {
                s.setObject(1, UUID.fromString(id));
                s.executeUpdate();
                other.commit();
            } catch (SQLException e) {
                states.addAll(sqlStates(e));
                other.rollback();
            }
            status = outcome.get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), states, "no failure of the consumer's side");
        Thread.sleep(1000); // the server's statistics are flushed at most a second late
        assertEquals(deadlocksBefore, deadlocks(), "deadlocks in the database");
        // The outcome waited for the batch, and found the follow-up no longer due.
        assertEquals(409, status);
    }

    @Test
    @TestSecurity(
            user = "rae",
            roles = {"rules-admin", "agent"})
    void aCalendarChangeWaitsForABatchComputingOnTheCalendarAndRecomputesWhatItCommitted() throws Exception {
        String suffix = uniqueSuffix();
        String calendar = "RACE-" + suffix;
        String profile = "RACE_" + suffix;
        putWeekdayCalendar(calendar);
        given().contentType(ContentType.JSON)
                .body("""
                {"calendar":"%s","deadlines":[{"kind":"FINAL_RESPONSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":3},
                 "pausable":false,"warnAt":[0.5],"breachable":true,"metBy":"RESOLVED"}],
                 "progressUpdate":{"everyWorkingDays":5}}""".formatted(calendar))
                .put("/profiles/" + profile)
                .then()
                .statusCode(201);
        // Received Monday 15 June 2026 10:00 London: due at the close of Thursday the 18th, or of
        // Friday the 19th once Wednesday is a holiday.
        Instant t0 = Instant.parse("2026-06-15T09:00:00Z");
        TestCase c = newCaseAt(t0);
        CaseEvent received = c.received(t0, profile);
        long deadlocksBefore = deadlocks();

        int status;
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (Statement s = held.createStatement()) {
                s.execute("SET LOCAL statement_timeout = '20s'");
            }
            // An open reminder of the case, not committed: the batch applying the receipt computes its
            // deadline on the calendar, then waits at its own reminder's insert (one open a case).
            try (PreparedStatement s = held.prepareStatement("INSERT INTO progress_update (id, case_id, profile,"
                    + " profile_version, calendar, cadence, last_heard_at, last_heard_by, due_at, state, created_at)"
                    + " VALUES (?, ?, ?, 1, ?, 'P5D', now(), 'RECEIVED', now(), 'PENDING', now())")) {
                s.setObject(1, UUID.randomUUID());
                s.setObject(2, c.id);
                s.setString(3, profile);
                s.setString(4, calendar);
                s.executeUpdate();
            }
            KAFKA.send(Topics.CASE_EVENTS, received);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> waitingForALock() > 0);
            // Wednesday becomes a holiday while the batch is open.
            CompletableFuture<Integer> change = CompletableFuture.supplyAsync(() -> given().contentType("text/calendar")
                    .body(officeClosed("20260617"))
                    .post("/calendars/" + calendar + "/holidays")
                    .statusCode());
            // The change is done, or tries for the calendars' lock (while the batch holds it shared).
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> change.isDone() || tryingForTheCalendarsLock() > 0);
            held.rollback();
            status = change.get(30, TimeUnit.SECONDS);
        }
        assertEquals(200, status);
        awaitUntil(() -> count("SELECT count(*) FROM processed_event WHERE event_id = ?", received.id()) == 1);
        assertEquals(
                Instant.parse("2026-06-19T16:00:00Z"),
                Flows.instant(FlowTest.deadline(c.id, "FINAL_RESPONSE"), "dueAt"),
                "the deadline the batch committed is on the calendar as changed");
        Thread.sleep(1000); // the server's statistics are flushed at most a second late
        assertEquals(deadlocksBefore, deadlocks(), "deadlocks in the database");
    }

    @Inject
    ProcessedEvents ledger;

    /**
     * Two batches claiming the same events in the ledger, in other orders (a record put on another
     * partition by another producer, a redelivery to a second replica), insert them in one order:
     * one waits for the other, neither deadlocks. Each batch has its first event ahead of one that a
     * third transaction has inserted and not committed, and is let go at that one: in the batches'
     * own orders, each would go on to the other's first.
     */
    @Test
    void twoBatchesClaimingTheSameEventsInOtherOrdersDoNotDeadlock() throws Exception {
        Instant t = Instant.parse("2032-03-16T10:00:00Z");
        long deadlocksBefore = deadlocks();
        List<String> states = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            CaseEvent k = new TestCase().received(t, "DEMO");
            CaseEvent x = new TestCase().received(t, "DEMO");
            CaseEvent y = new TestCase().received(t, "DEMO");
            try (Connection held = dataSource.getConnection()) {
                held.setAutoCommit(false);
                try (PreparedStatement s = held.prepareStatement(
                        "INSERT INTO processed_event (consumer, event_id, event_type) VALUES ('lock-order', ?, ?)")) {
                    s.setObject(1, k.id());
                    s.setString(2, k.type());
                    s.executeUpdate();
                }
                long waitingBefore = waitingForALock();
                CompletableFuture<Set<UUID>> a = CompletableFuture.supplyAsync(() ->
                        QuarkusTransaction.requiringNew().call(() -> ledger.claimAll("lock-order", List.of(y, k, x))));
                CompletableFuture<Set<UUID>> b = CompletableFuture.supplyAsync(() ->
                        QuarkusTransaction.requiringNew().call(() -> ledger.claimAll("lock-order", List.of(x, k, y))));
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> waitingForALock() >= waitingBefore + 2);
                held.commit();
                Set<UUID> claimed = new HashSet<>();
                for (CompletableFuture<Set<UUID>> f : List.of(a, b)) {
                    try {
                        claimed.addAll(f.get(30, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        states.addAll(sqlStates(e));
                    }
                }
                if (states.isEmpty()) {
                    assertEquals(Set.of(x.id(), y.id()), claimed, "each claimed once, by one of the two");
                }
            }
        }
        assertEquals(List.of(), states, "no failure on either side");
        Thread.sleep(1000); // the server's statistics are flushed at most a second late
        assertEquals(deadlocksBefore, deadlocks(), "deadlocks in the database");
    }

    @Test
    @TestSecurity(
            user = "rae",
            roles = {"rules-admin", "agent"})
    void aCalendarChangeThatCannotHaveTheLockIsRefusedAndBatchesGoOn() throws Exception {
        String calendar = "BUSY-" + uniqueSuffix();
        given().contentType(ContentType.JSON)
                .body("""
                {"zone":"Europe/London","hours":{"MONDAY":{"open":"09:00","close":"17:00"}}}""")
                .put("/calendars/" + calendar)
                .then()
                .statusCode(201);
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            // A batch computing due times, held open (a replica paused in the middle of it).
            holdCalendarsShared(held);
            CompletableFuture<io.restassured.response.Response> change =
                    CompletableFuture.supplyAsync(() -> given().contentType("text/calendar")
                            .body(officeClosed("20330103"))
                            .post("/calendars/" + calendar + "/holidays"));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> change.isDone() || tryingForTheCalendarsLock() > 0);
            // Meanwhile the consumers go on: a receipt is applied (its batch shares the lock, at once
            // while the change tries for it, after at most half the wait once the change queues).
            receivedCase(Instant.parse("2033-01-03T10:00:00Z"), "DEMO");
            io.restassured.response.Response refused = change.get(30, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode(), refused.asString());
            assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
            assertTrue(refused.jsonPath().getString("type").endsWith("calendar-busy"), refused.asString());
            held.rollback();
        }
        // Nothing of the change was made.
        given().get("/calendars/" + calendar).then().statusCode(200).body("holidays", org.hamcrest.Matchers.empty());
    }

    @Inject
    PendingHolidayChanges pendingHolidayChanges;

    /**
     * A migration's holiday change that cannot be applied at start-up (here: the calendars' lock held
     * by a batch, as by a paused replica) is tried again until it is applied, without a restart.
     */
    @Test
    @TestSecurity(
            user = "rae",
            roles = {"rules-admin", "agent"})
    void aMigrationsHolidayChangeRefusedAtStartIsAppliedByARetry() throws Exception {
        String calendar = "PENDING-" + uniqueSuffix();
        putWeekdayCalendar(calendar);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO holiday_change_pending (region) VALUES (?)")) {
            s.setString(1, calendar); // a new calendar's region is its own name
            s.executeUpdate();
        }
        long revision = revisionOf(calendar);
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            holdCalendarsShared(held);
            assertFalse(pendingHolidayChanges.apply(), "refused while the lock is held");
            assertEquals(1, count("SELECT count(*) FROM holiday_change_pending WHERE region = ?", calendar));
            held.rollback();
        }
        // No restart: a retry applies it (a new revision, the row gone).
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM holiday_change_pending WHERE region = ?", calendar) == 0);
        assertTrue(revisionOf(calendar) > revision, "the calendar changed");
    }

    long revisionOf(String calendar) throws SQLException {
        return count("SELECT revision FROM calendar WHERE name = ?", calendar);
    }

    /** Sessions of this database trying for the calendars' lock, their transaction open. */
    long tryingForTheCalendarsLock() throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND state = 'idle in transaction'"
                + " AND query LIKE '%pg_try_advisory_xact_lock(%'");
    }

    /** Sessions of this database waiting for a lock of any kind. */
    long waitingForALock() throws SQLException {
        return count(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    }

    /** Sessions of this database waiting for an advisory lock. */
    long waiting() throws SQLException {
        return count("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
