package redress.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.CaseEvent;
import redress.events.EventCodec;

/**
 * Writes events into the outbox table, inside the caller's transaction: the event exists if and
 * only if the state change that produced it committed. {@link OutboxRelay} publishes them.
 *
 * <p>Per-case order: each append first takes a transaction-scoped advisory lock on the record key
 * (the case id), so a second transaction on the same case inserts its rows only after the first
 * committed. Row ids within a key are therefore in commit order, the order the relay sends them.
 */
@ApplicationScoped
public class Outbox {

    /** The channel the relay LISTENs on; NOTIFY is delivered only when the writing transaction commits. */
    public static final String CHANNEL = "redress_outbox";

    private static final String LOCK_AND_NOTIFY =
            "SELECT pg_advisory_xact_lock(hashtextextended(?, 7)), pg_notify('" + CHANNEL + "', '')";
    private static final String INSERT =
            "INSERT INTO outbox (event_id, topic, record_key, event_type, payload) VALUES (?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public Outbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends an event to its type's topic, keyed by its case id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(CaseEvent event) {
        String topic = event.eventType()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + event.type()))
                .topic();
        append(topic, event.subject(), event);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, CaseEvent event) {
        // Agroal hands out the connection enlisted in the current transaction (the one Hibernate uses).
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement(LOCK_AND_NOTIFY)) {
                lock.setString(1, key);
                lock.execute();
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setObject(1, event.id());
                insert.setString(2, topic);
                insert.setString(3, key);
                insert.setString(4, event.type());
                insert.setString(5, EventCodec.encode(event));
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot append event " + event.id() + " of case " + key, e);
        }
    }

    public static class OutboxException extends RuntimeException {
        OutboxException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
