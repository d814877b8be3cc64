package redress.support.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import redress.support.Backoff;
import redress.support.kafka.KafkaClients;

/**
 * Publishes outbox rows to Kafka, in id order, and marks them sent only after Kafka acknowledged
 * them.
 *
 * <p>One relay is active per service: it holds a session-level advisory lock on its own
 * connection (outside the pool); other replicas try again each poll interval and take over when
 * that connection dies. The same connection LISTENs for the commit-time NOTIFY of
 * {@link Outbox}, so a committed event is sent at once; a poll is the fallback.
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

    private final OutboxConfig config;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final KafkaClients kafka;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean active;
    private Thread thread;
    private KafkaProducer<String, String> producer;

    public OutboxRelay(OutboxConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> password,
            KafkaClients kafka) {
        this.config = config;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password.orElse("");
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.relayEnabled()) {
            LOG.info("outbox relay disabled in this process");
            return;
        }
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        running.set(true);
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) {
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

    private Map<String, Object> producerConfig() {
        Map<String, Object> p = new java.util.HashMap<>();
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
            try (Connection c = DriverManager.getConnection(jdbcUrl, username, password)) {
                c.setAutoCommit(true);
                backoff = Duration.ZERO;
                if (!acquireLeadership(c)) {
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + Outbox.CHANNEL);
                }
                LOG.info("outbox relay active");
                active = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                Duration sendBackoff = Duration.ZERO;
                while (running.get()) {
                    boolean allSent = drain(c);
                    if (allSent) {
                        sendBackoff = Duration.ZERO;
                        pg.getNotifications((int) config.pollInterval().toMillis());
                    } else {
                        sendBackoff = next(sendBackoff);
                        Backoff.pause(sendBackoff);
                    }
                }
            } catch (SQLException e) {
                if (running.get()) {
                    backoff = next(backoff);
                    LOG.warnf("outbox relay lost its database connection (%s); retrying in %s", e.getMessage(), backoff);
                    Backoff.pause(backoff);
                }
            } finally {
                active = false;
            }
        }
    }

    /** Waits, on this connection, until the relay lock is ours; false when stopping. */
    private boolean acquireLeadership(Connection c) throws SQLException {
        while (running.get()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + RELAY_LOCK + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return true;
                }
            }
            Backoff.pause(config.pollInterval());
        }
        return false;
    }

    /** Sends every unsent row, batch after batch. False when a send failed (then back off). */
    private boolean drain(Connection c) throws SQLException {
        while (running.get()) {
            List<Row> rows = unsent(c);
            if (rows.isEmpty()) {
                return true;
            }
            List<Long> sent = new ArrayList<>();
            List<Row> failed = new ArrayList<>();
            publish(rows, sent, failed);
            markSent(c, sent);
            if (!failed.isEmpty()) {
                recordFailures(c, failed);
                return false;
            }
        }
        return true;
    }

    private List<Row> unsent(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, topic, record_key, payload, content_type FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?")) {
            ps.setInt(1, config.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return rows;
    }

    /**
     * Sends a batch and waits for every acknowledgement. A row counts as sent only if it and every
     * earlier row of its key in this batch were acknowledged, so a case never skips ahead.
     */
    private void publish(List<Row> rows, List<Long> sent, List<Row> failed) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(rows.size());
        for (Row r : rows) {
            ProducerRecord<String, String> record = new ProducerRecord<>(r.topic, r.key, r.payload);
            record.headers().add("content-type", r.contentType.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                futures.add(producer.send(record));
            } catch (RuntimeException e) {
                futures.add(java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        Set<String> stopped = new HashSet<>();
        long deadline = System.nanoTime() + config.deliveryTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            try {
                futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!stopped.contains(r.key)) {
                    sent.add(r.id);
                }
            } catch (ExecutionException | TimeoutException e) {
                stopped.add(r.key);
                r.error = e instanceof ExecutionException ? String.valueOf(e.getCause()) : "timed out";
                failed.add(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped.add(r.key);
                r.error = "interrupted";
                failed.add(r);
            }
        }
        if (!failed.isEmpty()) {
            LOG.warnf("outbox relay: %d of %d records not acknowledged (first: %s); will retry", failed.size(),
                    rows.size(), failed.get(0).error);
        }
    }

    private static void markSent(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY (?)")) {
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

    private Duration next(Duration backoff) {
        return backoff.isZero() ? Duration.ofMillis(250) : Backoff.doubled(backoff, config.maxBackoff());
    }

    private static final class Row {
        final long id;
        final String topic;
        final String key;
        final String payload;
        final String contentType;
        String error;

        Row(long id, String topic, String key, String payload, String contentType) {
            this.id = id;
            this.topic = topic;
            this.key = key;
            this.payload = payload;
            this.contentType = contentType;
        }
    }
}
