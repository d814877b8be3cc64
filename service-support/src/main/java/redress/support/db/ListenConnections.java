package redress.support.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;

/**
 * Connections of their own, outside the pools, for work that LISTENs for PostgreSQL's NOTIFY (the
 * outbox relay, the audit stream's follower): a pooled connection would be validated, reset or
 * handed to someone else between waits, and a LISTEN lives as long as its session. Each
 * connection keeps TCP keepalive on and a socket timeout, so that a dead peer ends the wait with
 * an error (and the caller reconnects) instead of a wait for ever.
 */
@ApplicationScoped
public class ListenConnections {

    private final String jdbcUrl;
    private final String username;
    private final String password;

    public ListenConnections(
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password.orElse("");
    }

    /**
     * A new connection in auto-commit mode, listening on nothing yet.
     *
     * @param applicationName how the session shows in {@code pg_stat_activity}
     * @param connectTimeout  how long connecting may take
     * @param socketTimeout   how long a statement may go unanswered before the connection is given up
     * @param options         PostgreSQL's startup options (e.g. {@code -c statement_timeout=30s}), or null
     */
    public Listening open(String applicationName, Duration connectTimeout, Duration socketTimeout, String options)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", username);
        p.setProperty("password", password);
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
        p.setProperty("socketTimeout", String.valueOf(Math.max(1, socketTimeout.toSeconds())));
        p.setProperty("ApplicationName", applicationName);
        if (options != null) {
            p.setProperty("options", options);
        }
        Connection c = DriverManager.getConnection(jdbcUrl, p);
        try {
            c.setAutoCommit(true);
            return new Listening(c, c.unwrap(PGConnection.class));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** One such connection: the JDBC connection for the caller's own statements, and its waits. */
    public static final class Listening implements AutoCloseable {

        private final Connection connection;
        private final PGConnection pg;

        Listening(Connection connection, PGConnection pg) {
            this.connection = connection;
            this.pg = pg;
        }

        public Connection connection() {
            return connection;
        }

        /** LISTENs on {@code channel} (a constant of the caller's, never input). */
        public void listen(String channel) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("LISTEN " + channel);
            }
        }

        /** Waits up to {@code max} for a notification; whether one came (what it says is not needed). */
        public boolean awaitNotification(Duration max) throws SQLException {
            var n = pg.getNotifications((int) Math.max(1, max.toMillis()));
            return n != null && n.length > 0;
        }

        /** Whether a notification has come, without waiting for one. */
        public boolean notified() throws SQLException {
            var n = pg.getNotifications();
            return n != null && n.length > 0;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
