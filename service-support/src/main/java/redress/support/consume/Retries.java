package redress.support.consume;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;

import org.jboss.logging.Logger;

import redress.support.Backoff;

/**
 * How consumers treat a failure: a transient one (the database unreachable, a lock conflict, a
 * missing grant) is waited out in place, for as long as it lasts, so an outage never empties a
 * topic into its dead-letter topic; any other is tried a few times and then given up (the
 * caller dead-letters the record). An interrupt, while working or waiting, is neither: it ends
 * the retries with {@link ConsumerStopping}, so that a record is never dead-lettered because the
 * service is stopping.
 */
public final class Retries {

    private static final Logger LOG = Logger.getLogger(Retries.class);
    /** SQLState classes worth waiting out: connection, rollback (serialisation, deadlock), resources, shutdown. */
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("08", "40", "53", "57");
    /**
     * A missing grant is an operator's mistake that affects every record: waiting for the fix
     * beats dead-lettering the whole topic.
     */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    static final int PERMANENT_FAILURE_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private Retries() {}

    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} until it succeeds or fails for good ({@link #PERMANENT_FAILURE_ATTEMPTS}
     * non-transient failures), which is rethrown.
     *
     * @throws ConsumerStopping when the thread is interrupted (the record is left for redelivery)
     * @param what names the work in log lines (event and case ids)
     */
    public static <T> T untilDone(String what, Work<T> work) throws Exception {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (Exception e) {
                if (ConsumerStopping.interrupted(e)) {
                    throw e instanceof ConsumerStopping stopping ? stopping : new ConsumerStopping(what, e);
                }
                if (!isTransient(e) && attempt >= PERMANENT_FAILURE_ATTEMPTS) {
                    throw e;
                }
                LOG.warnf(
                        "%s failed (attempt %d, %s), retrying in %s: %s",
                        what, attempt, isTransient(e) ? "transient" : "permanent?", backoff, e.toString());
                pause(what, backoff);
                backoff = Backoff.doubled(backoff, MAX_BACKOFF);
            }
        }
    }

    /** Sleeps between attempts; an interrupt ends the retries ({@link ConsumerStopping}). */
    static void pause(String what, Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsumerStopping(what, e);
        }
    }

    /** Whether a failure is worth waiting out: the database or a lock, not the record itself. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException
                    || t instanceof PessimisticLockException
                    || t instanceof LockTimeoutException) {
                return true;
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2
                    && (TRANSIENT_SQL_STATES.contains(sql.getSQLState().substring(0, 2))
                            || INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() == null
                    && String.valueOf(sql.getMessage()).contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }
}
