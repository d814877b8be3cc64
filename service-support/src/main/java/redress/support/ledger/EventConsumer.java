package redress.support.ledger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import redress.support.Backoff;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.payload.CasePayload;

/**
 * Applies one consumed record exactly once in effect. The record is parsed here; what cannot be
 * parsed, or fails for good, is thrown so that the channel's dead-letter strategy sends it to
 * {@code <topic>.dlq} with the error in headers. Transient failures (database unreachable, lock
 * conflicts) are retried in place with backoff, so an outage never empties a topic into the DLQ.
 * Types this consumer does not know are skipped: producers may add types.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    /** SQLState classes worth waiting out: connection, rollback (serialisation, deadlock), resources, shutdown. */
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("08", "40", "53", "57");
    /**
     * A missing grant is an operator's mistake that affects every record: waiting for the fix
     * beats dead-lettering the whole topic.
     */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final int PERMANENT_FAILURE_ATTEMPTS = 3;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final ProcessedEvents ledger;

    public EventConsumer(ProcessedEvents ledger) {
        this.ledger = ledger;
    }

    @FunctionalInterface
    public interface Handler {
        void apply(CaseEvent event, CasePayload payload);
    }

    /**
     * @param consumer the ledger name of this consumer (one per service and purpose)
     * @param value    the record value as it came off the topic
     */
    public void consume(String consumer, String value, Handler handler) {
        CaseEvent event = EventCodec.decode(value);
        CasePayload payload = EventCodec.payload(event).orElse(null);
        if (payload == null) {
            LOG.debugf("%s skips event %s of unknown type %s", consumer, event.id(), event.type());
            return;
        }
        Duration backoff = Duration.ofMillis(100);
        for (int attempt = 1;; attempt++) {
            try {
                boolean applied = QuarkusTransaction.requiringNew().call(() -> {
                    if (!ledger.claim(consumer, event)) {
                        return false;
                    }
                    handler.apply(event, payload);
                    return true;
                });
                if (!applied) {
                    LOG.debugf("%s already applied event %s (case %s)", consumer, event.id(), event.subject());
                }
                return;
            } catch (RuntimeException e) {
                boolean transientFailure = isTransient(e);
                if (!transientFailure && attempt >= PERMANENT_FAILURE_ATTEMPTS) {
                    LOG.errorf(e, "%s cannot apply event %s (case %s); dead-lettering it", consumer, event.id(),
                            event.subject());
                    throw e;
                }
                LOG.warnf("%s failed to apply event %s (case %s), attempt %d: %s", consumer, event.id(),
                        event.subject(), attempt, e.toString());
                Backoff.sleepOrFail(backoff);
                backoff = Backoff.doubled(backoff, MAX_BACKOFF);
            }
        }
    }

    /** Whether a failure is worth waiting out: the database or a lock, not the record itself. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof PessimisticLockException
                    || t instanceof LockTimeoutException) {
                return true;
            }
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && (TRANSIENT_SQL_STATES.contains(sql.getSQLState().substring(0, 2))
                            || INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() == null
                    && String.valueOf(sql.getMessage()).contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }
}
