package redress.audit.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import redress.audit.log.AuditLog;
import redress.support.Backoff;
import redress.support.db.ListenConnections;

/**
 * Follows the log for every stream client of this replica at once: one thread on one connection
 * of its own (outside the pools) LISTENs for the NOTIFY each append sends at commit, reads the new
 * entries once and hands them to every live client. A client that resumes from further back is
 * replayed from the database through the small read pool, a page at a time as it takes events,
 * and then joins the live clients without gap or duplicate.
 */
@ApplicationScoped
public class StreamFollower {

    static final String PAGE_SQL = "SELECT e.seq, e.event_type, e.canonical, p.severity, p.level "
            + "FROM (SELECT seq, event_type, canonical, case_id FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?) e "
            + "LEFT JOIN case_projection p ON p.case_id = e.case_id ORDER BY e.seq";

    private final StreamConfig config;
    private final AgroalDataSource reads;
    private final ListenConnections connections;
    /** Guards {@code position} and every client's switch from replay to live. */
    private final Object lock = new Object();

    private final Set<StreamClient> taps = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clients = new AtomicInteger();
    /** The last entry handed to the live clients. */
    private volatile long position = -1;

    private volatile boolean running;
    private Thread thread;
    private ExecutorService replays;

    public StreamFollower(
            StreamConfig config, @DataSource("reads") AgroalDataSource reads, ListenConnections connections) {
        this.config = config;
        this.reads = reads;
        this.connections = connections;
    }

    void onStart(@Observes StartupEvent ev) throws SQLException {
        try (Connection c = reads.getConnection()) {
            position = AuditLog.head(c).seq();
        }
        // Replays share the read pool's size: more at once would only wait for a connection.
        replays = Executors.newFixedThreadPool(
                Math.max(
                        1,
                        reads.getConfiguration().connectionPoolConfiguration().maxSize() - 1),
                r -> {
                    Thread t = new Thread(r, "stream-replay");
                    t.setDaemon(true);
                    return t;
                });
        running = true;
        thread = new Thread(this::run, "stream-follower");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        if (replays != null) {
            replays.shutdownNow();
        }
    }

    /** The head as the live clients know it. */
    long position() {
        return position;
    }

    /** Takes a client slot, or false when the cap is reached. */
    boolean reserve() {
        if (clients.incrementAndGet() > config.maxClients()) {
            clients.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Frees the client's slot, once, whatever ended it. */
    void release(StreamClient t) {
        t.terminated();
        taps.remove(t);
        if (t.released.compareAndSet(false, true)) {
            clients.decrementAndGet();
        }
    }

    /** Starts serving a client whose slot is reserved: live at once, or after a replay. */
    void add(StreamClient t) {
        synchronized (lock) {
            taps.add(t);
            if (t.cursor >= position) {
                t.live = true;
            }
        }
        if (!t.live) {
            pump(t);
        }
    }

    /** Called as the client takes events: a replaying client reads its next page when half its buffer is free. */
    void taken(StreamClient t) {
        t.delivered();
        if (!t.live && !t.ended() && t.room() >= config.buffer() / 2) {
            pump(t);
        }
    }

    private void pump(StreamClient t) {
        if (!t.pumping.compareAndSet(false, true)) {
            return;
        }
        replays.execute(() -> {
            try {
                replay(t);
            } catch (SQLException | RuntimeException e) {
                Log.warnf("stream replay after entry %d failed: %s", t.cursor, e.getMessage());
                t.fail(e);
            } finally {
                t.pumping.set(false);
            }
            if (!t.live && !t.ended() && t.room() >= config.buffer() / 2) {
                pump(t);
            }
        });
    }

    private void replay(StreamClient t) throws SQLException {
        while (!t.live && !t.ended() && t.room() >= config.buffer() / 2) {
            long behind = position - t.cursor;
            if (behind > config.maxLag()) {
                t.drop("client too slow: " + behind + " entries behind (limit " + config.maxLag() + ")");
                release(t);
                return;
            }
            List<LogEntry> page;
            try (Connection c = reads.getConnection()) {
                page = read(c, t.cursor, (int) Math.min(config.pageSize(), Math.max(1, t.room())));
            }
            for (LogEntry e : page) {
                t.offer(e);
            }
            synchronized (lock) {
                if (t.cursor >= position) {
                    t.live = true;
                }
            }
            if (page.isEmpty() && !t.live) {
                return; // the follower has not seen the newest entries yet: it will hand them over
            }
        }
    }

    static List<LogEntry> read(Connection c, long after, int limit) throws SQLException {
        List<LogEntry> page = new ArrayList<>(Math.min(limit, 1000));
        try (PreparedStatement ps = c.prepareStatement(PAGE_SQL)) {
            ps.setLong(1, after);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(new LogEntry(
                            rs.getLong(1), rs.getString(2), rs.getString(4), rs.getString(5), rs.getBytes(3)));
                }
            }
        }
        return page;
    }

    private void run() {
        long wait = Math.max(
                10,
                Math.min(config.fallbackPoll().toMillis(), config.heartbeat().toMillis() / 2));
        while (running) {
            try (ListenConnections.Listening l = connections.open(
                    "audit-stream-follower",
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    "-c statement_timeout=30s")) {
                l.listen(AuditLog.APPENDED_CHANNEL);
                while (running) {
                    boolean more = follow(l.connection());
                    keepAlives();
                    if (!more) {
                        l.awaitNotification(Duration.ofMillis(wait));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    Log.warnf("stream follower lost its database connection (%s); reconnecting", e.getMessage());
                    Backoff.pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** Reads a page of new entries and hands it to the live clients; true when there may be more. */
    private boolean follow(Connection c) throws SQLException {
        List<LogEntry> page = read(c, position, config.pageSize());
        if (page.isEmpty()) {
            return false;
        }
        List<StreamClient> dropped = new ArrayList<>();
        synchronized (lock) {
            for (LogEntry e : page) {
                for (StreamClient t : taps) {
                    if (t.live && !t.offer(e)) {
                        dropped.add(t);
                    }
                }
                position = e.seq;
            }
        }
        dropped.forEach(this::release);
        return page.size() == config.pageSize();
    }

    private void keepAlives() {
        long heartbeat = config.heartbeat().toNanos();
        for (StreamClient t : taps) {
            t.keepAlive(heartbeat);
        }
    }
}
