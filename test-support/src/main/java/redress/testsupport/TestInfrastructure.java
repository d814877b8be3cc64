package redress.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import redress.localinfra.EmbeddedKafka;
import redress.localinfra.EmbeddedPostgres;
import redress.localinfra.Ports;

/**
 * One PostgreSQL server and one Kafka broker per test JVM, started on first use on free ports and
 * stopped when the JVM exits. When the environment names existing ones, they are used instead:
 * {@code KAFKA_BOOTSTRAP_SERVERS}, and {@code REDRESS_TEST_PG_HOST}, {@code REDRESS_TEST_PG_PORT},
 * {@code REDRESS_TEST_PG_USER}, {@code REDRESS_TEST_PG_PASSWORD}.
 */
public final class TestInfrastructure {

    public static final int PARTITIONS = 6;

    private static TestInfrastructure instance;

    private final EmbeddedPostgres postgres;
    private final String bootstrapServers;
    private final Set<String> databases = new HashSet<>();
    /** The broker this JVM started, or null when the environment named one. */
    private EmbeddedKafka kafka;

    private Path kafkaDir;
    private int kafkaPort;
    private int controllerPort;

    private TestInfrastructure(EmbeddedPostgres postgres, String bootstrapServers) {
        this.postgres = postgres;
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestInfrastructure start() {
        // The broker runs in this JVM: keep its INFO chatter out of the test output.
        for (String logger : new String[] {"kafka", "org.apache.kafka", "state.change.logger", "io.zonky"}) {
            Logger.getLogger(logger).setLevel(Level.WARNING);
        }
        try {
            Path root = Files.createTempDirectory("redress-test-infra");
            EmbeddedPostgres pg;
            String pgHost = System.getenv("REDRESS_TEST_PG_HOST");
            if (pgHost != null && !pgHost.isBlank()) {
                pg = EmbeddedPostgres.existing(
                        pgHost,
                        Integer.parseInt(env("REDRESS_TEST_PG_PORT", "5432")),
                        env("REDRESS_TEST_PG_USER", "postgres"),
                        env("REDRESS_TEST_PG_PASSWORD", ""));
            } else {
                pg = EmbeddedPostgres.start(root.resolve("pg"), Ports.free(), false);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg), "stop-test-postgres"));
            }
            String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            TestInfrastructure infra;
            if (bootstrap == null || bootstrap.isBlank()) {
                int port = Ports.free();
                int controller = Ports.free();
                EmbeddedKafka kafka = EmbeddedKafka.start(root.resolve("kafka"), port, controller);
                infra = new TestInfrastructure(pg, kafka.bootstrapServers());
                infra.kafka = kafka;
                infra.kafkaDir = root.resolve("kafka");
                infra.kafkaPort = port;
                infra.controllerPort = controller;
                Runtime.getRuntime().addShutdownHook(new Thread(infra::stopKafka, "stop-test-kafka"));
            } else {
                infra = new TestInfrastructure(pg, bootstrap);
            }
            EmbeddedKafka.createTopics(infra.bootstrapServers, PARTITIONS);
            return infra;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start test infrastructure", e);
        }
    }

    /** Whether this JVM runs the broker itself (and so can take it down for an outage test). */
    public boolean ownsKafka() {
        return kafkaDir != null;
    }

    /** Stops the broker (a Kafka outage); {@link #startKafka()} brings it back on the same ports and data. */
    public synchronized void stopKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public synchronized void startKafka() {
        if (kafka == null && kafkaDir != null) {
            try {
                kafka = EmbeddedKafka.start(kafkaDir, kafkaPort, controllerPort);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restart Kafka", e);
            }
        }
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A database for one module's tests, created empty the first time this JVM asks for it. */
    public synchronized String database(String name) {
        if (databases.add(name)) {
            postgres.createDatabase(name, true);
        }
        return postgres.jdbcUrl(name);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the JVM is exiting
        }
    }
}
