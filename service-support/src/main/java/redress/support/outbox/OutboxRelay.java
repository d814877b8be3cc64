package redress.support.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import redress.support.Backoff;
import redress.support.db.ListenConnections;
import redress.support.kafka.KafkaClients;

/**
 * Publishes outbox rows to Kafka, in id order, and marks them sent only after Kafka acknowledged
 * them.
 *
 * <p>One relay is active per service: it holds a session-level advisory lock on its own
 * connection (outside the pool); other replicas try again each poll interval and take over when
 * that connection dies. A transaction of this process that appended wakes it once committed
 * ({@link #wake}); the connection LISTENs for the commit-time NOTIFY with which {@link Outbox}'s
 * appends in other replicas wake it, and looks for one every {@link #REMOTE_CHECK} while it waits.
 * So a committed event is sent at once; a poll is the fallback.
 *
 * <p>A failed send stops its case for this round (later rows of that case wait), and the relay
 * backs off while Kafka is unavailable. Delivery is at least once: a crash between Kafka's
 * acknowledgement and the update re-sends rows with the same event id, which consumers ignore.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key of the relay role (any constant works; one per database). */
    private static final long RELAY_LOCK = 0x7265647265737301L;
    /**
     * While waiting for work, how often the leader looks at its connection for another replica's
     * notification (its own process's commits wake it at once): a non-blocking read, so an idle
     * relay costs a few system calls a second, and another replica's event waits at most this long.
     */
    static final Duration REMOTE_CHECK = Duration.ofMillis(50);

    private final OutboxConfig config;
    private final ListenConnections connections;
    private final KafkaClients kafka;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean active;
    private Thread thread;
    private KafkaProducer<String, String> producer;
    /** Cases whose head failed to send, and when (System.nanoTime) it may be tried again. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    /** Released by each commit of this process that appended while this relay was active. */
    private final Semaphore woken = new Semaphore(0);

    public OutboxRelay(OutboxConfig config, ListenConnections connections, KafkaClients kafka) {
        this.config = config;
        this.connections = connections;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!config.relayEnabled()) {
            LOG.info("outbox relay disabled in this process");
            return;
        }
        start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        stop();
    }

    /** Starts competing for the relay role (done at startup; public for a standby in tests). */
    public void start() {
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        running.set(true);
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        if (!running.getAndSet(false)) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** Whether this process currently holds the relay lock. */
    public boolean isActive() {
        return active;
    }

    /** Tells the relay that rows were committed (by a transaction of this process). */
    public void wake() {
        woken.release();
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        int delivery = (int) config.deliveryTimeout().toMillis();
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(delivery, 5_000));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(delivery, 5_000));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        return kafka.config(p);
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        while (running.get()) {
            held.clear();
            // The leader's connection must die with its peer: the server frees the relay lock only when
            // it notices the session is gone (TCP keepalive, on both sides), and this side stops sending
            // as soon as a statement gets no answer within the timeout, so a cut-off leader never relays
            // beside its successor for long.
            try (ListenConnections.Listening l =
                    connections.open("outbox-relay", config.leaderTimeout(), config.leaderTimeout(), SESSION_OPTIONS)) {
                Connection c = l.connection();
                backoff = Duration.ZERO;
                if (!acquireLeadership(c)) {
                    continue;
                }
                l.listen(Outbox.CHANNEL);
                LOG.info("outbox relay active");
                active = true;
                Duration sendBackoff = Duration.ZERO;
                while (running.get()) {
                    boolean allSent = drain(c);
                    if (allSent) {
                        sendBackoff = Duration.ZERO;
                        if (awaitWork(l, config.pollInterval())
                                && !config.linger().isZero()) {
                            Backoff.pause(config.linger());
                        }
                    } else {
                        sendBackoff = next(sendBackoff);
                        Backoff.pause(sendBackoff);
                    }
                }
            } catch (SQLException e) {
                if (running.get()) {
                    backoff = next(backoff);
                    LOG.warnf(
                            "outbox relay lost its database connection (%s); retrying in %s", e.getMessage(), backoff);
                    Backoff.pause(backoff);
                }
            } catch (RuntimeException e) {
                // Whatever else goes wrong (the producer, a bug), the relay must not end silently:
                // it lets go of its role and tries again.
                if (running.get()) {
                    backoff = next(backoff);
                    LOG.errorf(e, "outbox relay failed; retrying in %s", backoff);
                    Backoff.pause(backoff);
                }
            } finally {
                active = false;
            }
        }
    }

    /**
     * Waits up to {@code max} for a commit: this process's ({@link #wake}) or, by its notification,
     * another replica's; whether one came.
     */
    private boolean awaitWork(ListenConnections.Listening l, Duration max) throws SQLException {
        long deadline = System.nanoTime() + max.toNanos();
        while (running.get()) {
            if (l.notified()) {
                woken.drainPermits();
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                if (woken.tryAcquire(Math.min(left, REMOTE_CHECK.toNanos()), TimeUnit.NANOSECONDS)) {
                    woken.drainPermits();
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Waits, on this connection, until the relay lock is ours; false when stopping. */
    private boolean acquireLeadership(Connection c) throws SQLException {
        while (running.get()) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + RELAY_LOCK + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return true;
                }
            }
            Backoff.pause(config.pollInterval());
        }
        return false;
    }

    /**
     * Sends every unsent row that is not held, batch after batch. False when nothing could be sent
     * and something failed (Kafka unavailable: back off).
     */
    private boolean drain(Connection c) throws SQLException {
        while (running.get()) {
            releaseExpiredHolds();
            List<Row> rows = unsent(c);
            if (rows.isEmpty()) {
                return true;
            }
            Outcome outcome = publish(rows);
            markSent(c, outcome.sent);
            if (!outcome.failed.isEmpty()) {
                recordFailures(c, outcome.failed);
            }
            if (!outcome.parked.isEmpty()) {
                park(c, outcome.parked);
            }
            if (outcome.sent.isEmpty() && !outcome.failed.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The relay's session keeps one plan per statement: its read and its marks have one good plan
     * whatever the table holds (the unsent rows' partial index, the primary key), and under load
     * intake-service's relay was seen planning its read on every call all the same (1,942 plans for
     * 1,944 reads in a benchmark window, docs/performance.md).
     */
    static final String SESSION_OPTIONS = "-c plan_cache_mode=force_generic_plan";

    /**
     * The read of the next rows to send, the keys held back bound as its one parameter. The limit is
     * written into the statement, not bound: with a bound limit the plan PostgreSQL keeps for a
     * prepared statement assumes a tenth of the table is read, which costs more than the plan for
     * the actual limit, so it planned the read afresh on every call (docs/performance.md).
     */
    static String unsentQuery(int batchSize) {
        return "WITH parked AS MATERIALIZED (SELECT DISTINCT p.record_key "
                + "FROM outbox p WHERE p.parked_at IS NOT NULL AND p.sent_at IS NULL) "
                + "SELECT o.id, o.topic, o.record_key, o.payload, o.content_type, o.attempts FROM outbox o "
                + "WHERE o.sent_at IS NULL AND o.parked_at IS NULL AND o.record_key <> ALL (?) "
                + "AND NOT EXISTS (SELECT 1 FROM parked WHERE parked.record_key = o.record_key) ORDER BY o.id LIMIT "
                + batchSize;
    }

    /**
     * The oldest unsent rows, skipping every case that is blocked: one with a parked row (held
     * until an operator releases it) or one whose head failed and waits for its retry.
     */
    private List<Row> unsent(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        // The parked cases are read once (almost always none) rather than looked up for each
        // candidate row: as a correlated NOT EXISTS the planner probed the unsent rows' index once
        // per row, walking the entries of rows already sent each time (9 ms a read with a few
        // thousand sent rows kept, docs/performance.md).
        try (PreparedStatement ps = c.prepareStatement(unsentQuery(config.batchSize()))) {
            ps.setArray(1, c.createArrayOf("text", held.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getInt(6)));
                }
            }
        }
        return rows;
    }

    /**
     * Sends a batch in waves: each wave carries at most one row per case, and a case's next row
     * goes out only after the one before it was acknowledged. A record that fails on its own (too
     * large, a metadata timeout) therefore stops its case where it is: nothing behind it reaches
     * the topic first, and other cases keep flowing.
     */
    private Outcome publish(List<Row> rows) {
        Map<String, ArrayDeque<Row>> byCase = new LinkedHashMap<>();
        for (Row r : rows) {
            byCase.computeIfAbsent(r.key, k -> new ArrayDeque<>()).add(r);
        }
        Outcome outcome = new Outcome();
        while (!byCase.isEmpty() && running.get()) {
            // Each wave has the whole delivery timeout: a slow wave must not leave the next none.
            long deadline = System.nanoTime() + config.deliveryTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
            List<Row> wave = new ArrayList<>(byCase.size());
            List<Future<RecordMetadata>> futures = new ArrayList<>(byCase.size());
            for (ArrayDeque<Row> queue : byCase.values()) {
                Row r = queue.peek();
                wave.add(r);
                futures.add(send(r));
            }
            for (int i = 0; i < wave.size(); i++) {
                Row r = wave.get(i);
                Throwable error = await(futures.get(i), deadline);
                if (error == null) {
                    outcome.sent.add(r.id);
                    ArrayDeque<Row> queue = byCase.get(r.key);
                    queue.poll();
                    if (queue.isEmpty()) {
                        byCase.remove(r.key);
                    }
                    continue;
                }
                r.error = String.valueOf(error);
                byCase.remove(r.key);
                if (neverSendable(error)) {
                    outcome.parked.add(r);
                } else {
                    outcome.failed.add(r);
                    hold(r);
                }
            }
        }
        if (!outcome.failed.isEmpty()) {
            LOG.warnf(
                    "outbox relay: %d cases held after a failed send (first: event row %d, %s); will retry",
                    outcome.failed.size(), outcome.failed.get(0).id, outcome.failed.get(0).error);
        }
        return outcome;
    }

    private Future<RecordMetadata> send(Row r) {
        ProducerRecord<String, String> record = new ProducerRecord<>(r.topic, r.key, r.payload);
        record.headers().add("content-type", r.contentType.getBytes(StandardCharsets.UTF_8));
        try {
            return producer.send(record);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The send's failure, or null when Kafka acknowledged it. */
    private static Throwable await(Future<RecordMetadata> future, long deadline) {
        try {
            future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /**
     * Failures that no retry can cure: the record itself is refused. Anything else (broker down,
     * metadata, authorisation an operator can fix) is retried.
     */
    static boolean neverSendable(Throwable error) {
        return error instanceof RecordTooLargeException
                || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidRecordException
                || error instanceof InvalidTopicException
                || error instanceof SerializationException;
    }

    /** Keeps a case out of the next rounds until its head's retry is due. */
    private void hold(Row r) {
        Duration wait = Duration.ofMillis(250);
        for (int i = 0; i < r.attempts && wait.compareTo(config.maxBackoff()) < 0; i++) {
            wait = Backoff.doubled(wait, config.maxBackoff());
        }
        held.put(r.key, System.nanoTime() + wait.toNanos());
    }

    private void releaseExpiredHolds() {
        long now = System.nanoTime();
        held.values().removeIf(due -> due - now <= 0);
    }

    private static void markSent(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
    }

    private static void recordFailures(Connection c, List<Row> failed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE outbox SET attempts = attempts + 1, last_error = left(?, 1000) WHERE id = ?")) {
            for (Row r : failed) {
                ps.setString(1, r.error);
                ps.setLong(2, r.id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Parks rows Kafka will never take; their cases wait behind them, in order, for an operator. */
    private static void park(Connection c, List<Row> parked) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET attempts = attempts + 1, "
                + "last_error = left(?, 1000), parked_at = clock_timestamp() WHERE id = ?")) {
            for (Row r : parked) {
                LOG.errorf(
                        "outbox relay parked row %d (case %s): Kafka refuses it (%s). The case's later events wait "
                                + "behind it; see GET /outbox/parked",
                        r.id, r.key, r.error);
                ps.setString(1, r.error);
                ps.setLong(2, r.id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Duration next(Duration backoff) {
        return backoff.isZero() ? Duration.ofMillis(250) : Backoff.doubled(backoff, config.maxBackoff());
    }

    private static final class Row {
        final long id;
        final String topic;
        final String key;
        final String payload;
        final String contentType;
        final int attempts;
        String error;

        Row(long id, String topic, String key, String payload, String contentType, int attempts) {
            this.id = id;
            this.topic = topic;
            this.key = key;
            this.payload = payload;
            this.contentType = contentType;
            this.attempts = attempts;
        }
    }

    /** What became of one batch. */
    private static final class Outcome {
        final List<Long> sent = new ArrayList<>();
        final List<Row> failed = new ArrayList<>();
        final List<Row> parked = new ArrayList<>();
    }
}
