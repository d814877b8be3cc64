package redress.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
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
 *
 * <p>Waking the relay: when this process holds the relay role, the transaction wakes it in-process
 * once it has committed; only otherwise does it queue a NOTIFY for the relay of another replica.
 * PostgreSQL serialises every commit that notifies, across all databases of the server, through
 * its WAL flush (a lock "held till after commit" that keeps the notification queue in commit
 * order), so a NOTIFY in every submission's commit would line the submissions up behind one
 * another's flush instead of letting them share it (docs/performance.md, ninth round).
 */
@ApplicationScoped
public class Outbox {

    /** The channel the relay LISTENs on; NOTIFY is delivered only when the writing transaction commits. */
    public static final String CHANNEL = "redress_outbox";

    /**
     * One round trip: take the key's lock, queue the commit-time notification, insert. The row (and
     * its identity value) is produced only after the lock is held.
     */
    private static final String APPEND = "WITH locked AS (SELECT pg_advisory_xact_lock(hashtextextended(?, 7))), "
            + "notified AS (SELECT pg_notify('" + CHANNEL + "', '')) "
            + "INSERT INTO outbox (event_id, topic, record_key, event_type, payload, content_type) "
            + "SELECT ?, ?, ?, ?, ?, ? FROM locked, notified";

    /** {@link #APPEND} without the notification: for a transaction that wakes its own process's relay. */
    private static final String APPEND_QUIETLY =
            "WITH locked AS (SELECT pg_advisory_xact_lock(hashtextextended(?, 7))) "
                    + "INSERT INTO outbox (event_id, topic, record_key, event_type, payload, content_type) "
                    + "SELECT ?, ?, ?, ?, ?, ? FROM locked";

    /** The transaction resource that marks a transaction whose commit already wakes the relay. */
    private static final Object WAKES_RELAY = new Object();

    /** The same per-key lock as {@link #APPEND}'s, taken only where no other transaction holds it. */
    private static final String TRY_LOCK =
            "SELECT k FROM unnest(?::text[]) AS t(k) WHERE pg_try_advisory_xact_lock(hashtextextended(k, 7))";

    private final DataSource dataSource;
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;

    public Outbox(DataSource dataSource, OutboxRelay relay, TransactionSynchronizationRegistry transactions) {
        this.dataSource = dataSource;
        this.relay = relay;
        this.transactions = transactions;
    }

    /** Appends an event to its type's topic, keyed by its case id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(CaseEvent event) {
        append(topicOf(event), event.subject(), event);
    }

    private static String topicOf(CaseEvent event) {
        return event.eventType()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + event.type()))
                .topic();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, CaseEvent event) {
        // Agroal hands out the connection enlisted in the current transaction (the one Hibernate uses).
        try (Connection c = dataSource.getConnection()) {
            insert(c, appendStatement(), Row.of(topic, key, event));
        } catch (SQLException e) {
            throw new OutboxException("cannot append event " + event.id() + " of case " + key, e);
        }
    }

    /**
     * Takes, without waiting, the per-key lock that appending under each of {@code keys} takes, for
     * the rest of the caller's transaction; a key another transaction holds is left alone.
     *
     * <p>For a transaction that holds rows of several cases and appends for them (a batch of due
     * items): waiting for one case's lock while holding another's rows is how two such batches, or
     * one and a batch consuming events of the same cases, deadlock. Taking the keys' locks up front,
     * waiting for none, and leaving the busy keys' work to a later transaction, it waits for no
     * lock at all, so it cannot be part of a deadlock; its appends then find their locks held.
     *
     * @return the keys whose locks the transaction now holds (a key it held already among them)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> tryLock(Collection<String> keys) {
        Set<String> held = new HashSet<>();
        if (keys.isEmpty()) {
            return held;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement lock = c.prepareStatement(TRY_LOCK)) {
            lock.setArray(1, c.createArrayOf("text", new HashSet<>(keys).toArray()));
            try (ResultSet r = lock.executeQuery()) {
                while (r.next()) {
                    held.add(r.getString(1));
                }
            }
            return held;
        } catch (SQLException e) {
            throw new OutboxException("cannot lock " + keys.size() + " keys", e);
        }
    }

    /**
     * Appends events to their types' topics, keyed by their case ids, in order, as one JDBC batch:
     * the same statement as {@link #append(CaseEvent)} for each, sent in one round trip.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<CaseEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(appendStatement())) {
            for (CaseEvent event : events) {
                Row.of(topicOf(event), event.subject(), event).bind(insert);
                insert.addBatch();
            }
            int[] written = insert.executeBatch();
            for (int i = 0; i < written.length; i++) {
                if (written[i] != 1 && written[i] != Statement.SUCCESS_NO_INFO) {
                    throw new SQLException("outbox insert of " + events.get(i).id() + " wrote no row");
                }
            }
        } catch (SQLException e) {
            throw new OutboxException(
                    "cannot append " + events.size() + " events, the first "
                            + events.get(0).id(),
                    e);
        }
    }

    /**
     * The statement for an append in the current transaction: the quiet one when this process's
     * relay is active (and the commit will wake it), the notifying one otherwise. Should the role
     * move to another replica before the commit, that replica finds the row by its poll.
     */
    private String appendStatement() {
        if (!relay.isActive()) {
            return APPEND;
        }
        if (transactions.getResource(WAKES_RELAY) == null) {
            transactions.putResource(WAKES_RELAY, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.wake();
                    }
                }
            });
        }
        return APPEND_QUIETLY;
    }

    /**
     * Appends any record on the caller's own connection, inside the transaction the caller runs on
     * it (for services that use JDBC transactions rather than JTA).
     */
    public static void append(
            Connection c, String topic, String key, UUID id, String type, String payload, String contentType)
            throws SQLException {
        insert(c, APPEND, new Row(topic, key, id, type, payload, contentType));
    }

    private static void insert(Connection c, String statement, Row row) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(statement)) {
            row.bind(insert);
            if (insert.executeUpdate() != 1) {
                throw new SQLException("outbox insert of " + row.id() + " wrote no row");
            }
        }
    }

    /** One outbox row as {@link #APPEND} and {@link #APPEND_QUIETLY} take it. */
    private record Row(String topic, String key, UUID id, String type, String payload, String contentType) {

        static Row of(String topic, String key, CaseEvent event) {
            return new Row(topic, key, event.id(), event.type(), EventCodec.encode(event), EventCodec.CONTENT_TYPE);
        }

        void bind(PreparedStatement insert) throws SQLException {
            insert.setString(1, key);
            insert.setObject(2, id);
            insert.setString(3, topic);
            insert.setString(4, key);
            insert.setString(5, type);
            insert.setString(6, payload);
            insert.setString(7, contentType);
        }
    }

    public static class OutboxException extends RuntimeException {
        OutboxException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
