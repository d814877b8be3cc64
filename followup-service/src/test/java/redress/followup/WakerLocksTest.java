package redress.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The waker's batch spans cases, and so does another transaction appending for them (another
 * replica's waker, a consumer batch): the waker must not wait for one case's outbox lock while it
 * holds another's, or the two deadlock (PostgreSQL's {@code 40P01}, a second's wait and a retry).
 */
@QuarkusTest
class WakerLocksTest extends Flows {

    static final String DEADLOCK = "40P01";

    /** Takes the outbox's lock on {@code caseId}'s key in {@code c}'s transaction, as an append does. */
    static void lockCase(Connection c, UUID caseId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 7))")) {
            s.setString(1, caseId.toString());
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

    /** Sessions of this database waiting for an advisory lock. */
    long waiting() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        + "WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()")) {
            r.next();
            return r.getLong(1);
        }
    }
}
