package redress.localrun;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import redress.auditverifier.AuditExportVerifier;
import redress.events.EventCodec;
import redress.events.RegulatoryProfiles;
import redress.events.Topics;
import redress.localinfra.EmbeddedKafka;
import redress.localinfra.EmbeddedPostgres;
import redress.localinfra.JwtKeys;
import redress.localinfra.Ports;
import redress.localrun.scenario.DifficultCustomer;

/**
 * Runs Redress on one machine with no Docker: a real PostgreSQL and a real Kafka broker on embedded
 * defaults, data kept in {@code .redress/} between runs, then every service as its own process,
 * then a demo. Ctrl-C stops everything it started. The broker runs in a JVM of its own (so that it
 * can fail, or be killed, alone), and a watchdog restarts PostgreSQL, the broker or a service that
 * dies.
 *
 * <p>Settings (environment): {@code REDRESS_HOME} (default {@code .redress}), {@code REDRESS_PG_PORT}
 * (5432), {@code REDRESS_KAFKA_PORT} (9092), {@code REDRESS_DEMO} ({@code true}), {@code REDRESS_BACKGROUND_NICE}
 * (5, {@link #background}), {@code REDRESS_JIT} ({@code tiered}, {@link #jit}).
 *
 * <p>The fault suite ({@code redress.localrun.faults.FaultSuite}) starts the same system through
 * {@link #LocalRun(Path)}, {@link #start(int, int)} and {@link #stop()}, in a data directory of its
 * own, and reaches its parts through {@link #process(String)} and {@link #leaveAlone(String, boolean)}.
 */
public final class LocalRun {

    /** The component names of PostgreSQL and the broker, beside the services' names ({@link #process(String)}). */
    public static final String POSTGRES = "postgres", KAFKA = "kafka";

    /**
     * @param restrictedRole the role the service connects as (migrations run as the owner), or null
     * @param env            settings of this service's own for the local run (environment variables)
     */
    public record Service(String name, int port, String database, String restrictedRole, Map<String, String> env) {
        Path jar(Path repo) {
            return repo.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }
    }

    /**
     * The regulatory profiles intake accepts in the local run: the contract's list plus followup-service's
     * {@code DEMO} profile (seconds instead of days, on a calendar where every hour is working time),
     * so that the demo shows a warning, a breach and a follow-up within a minute.
     */
    static final String LOCAL_PROFILES = RegulatoryProfiles.NAMES + ",DEMO";

    public static final List<Service> SERVICES = List.of(
            new Service(
                    "intake-service",
                    8081,
                    "intake",
                    null,
                    Map.of("REDRESS_INTAKE_REGULATORY_PROFILES", LOCAL_PROFILES)),
            new Service("escalation-service", 8082, "escalation", null, Map.of()),
            // An escalation has 30 s of working time to be acknowledged here (4 hours by default).
            new Service(
                    "followup-service",
                    8083,
                    "followup",
                    null,
                    Map.of("REDRESS_FOLLOWUP_ESCALATION_RESPONSE", "PT30S")),
            new Service("audit-service", 8084, "audit", "audit_writer", Map.of()));

    private final Path repo = Path.of("").toAbsolutePath();
    /** Where the services' built applications are: the repository, or copies of them ({@link #runCopiesOfTheApps()}). */
    private Path apps = repo;

    private final Path home;
    private final Map<Service, Process> processes = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile EmbeddedPostgres postgres;
    private JwtKeys jwtKeys;
    /** A ready-made token per role, valid for this run (printed, and used by the demo). */
    private final Map<String, String> tokens = new LinkedHashMap<>();
    /** The broker's own JVM ({@link EmbeddedKafka#main}). */
    private volatile Process kafka;

    private int kafkaPort;
    private String bootstrapServers;
    /** Components the watchdog neither checks nor restarts for now: a pause or an outage made on purpose. */
    private final Set<String> leftAlone = ConcurrentHashMap.newKeySet();

    /** A run whose data (PostgreSQL's, the broker's, keys, tokens, logs) is kept in {@code home}. */
    public LocalRun(Path home) {
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", env("REDRESS_INFRA_LOG_LEVEL", "warn"));
        // Its first-start notice ("the metadata log appears to be empty") is expected here.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error");
        Path home = Path.of(env("REDRESS_HOME", ".redress")).toAbsolutePath();
        LocalRun run = new LocalRun(home);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            run.stop();
                            stopped.countDown();
                        },
                        "redress-stop"));
        try {
            run.start(0, 0);
        } catch (Exception e) {
            System.err.println("redress: could not start: " + e.getMessage());
            System.exit(1);
        }
        if (Boolean.parseBoolean(env("REDRESS_DEMO", "true"))) {
            try {
                new Demo(run.bootstrapServers, run.tokens).run();
            } catch (Exception e) {
                System.err.println("redress: the demo failed: " + e);
            }
        }
        System.out.println("\nRedress is running. Press Ctrl-C to stop everything.");
        stopped.await();
    }

    /**
     * Starts PostgreSQL, the broker and every service, waits until each service is ready, prints where
     * everything is and the tokens, and starts the watchdog.
     *
     * @param pgPort    PostgreSQL's port, or 0 for {@code REDRESS_PG_PORT} or the default
     * @param kafkaPort the broker's port (its controller takes the next one), or 0 for {@code REDRESS_KAFKA_PORT}
     *                  or the default
     */
    public void start(int pgPort, int kafkaPort) throws IOException, InterruptedException {
        Files.createDirectories(home.resolve("logs"));
        stopLeftovers();
        if (pgPort == 0) {
            pgPort = portOrFree("REDRESS_PG_PORT", 5432, "PostgreSQL", 1);
        }
        if (kafkaPort == 0) {
            kafkaPort = portOrFree("REDRESS_KAFKA_PORT", 9092, "Kafka (and its controller, on the next port)", 2);
        }
        for (Service s : SERVICES) {
            if (!isFree(s.port())) {
                throw new IOException(
                        "port " + s.port() + " for " + s.name() + " is in use: stop whatever listens there");
            }
        }
        for (Service s : SERVICES) {
            if (!Files.exists(s.jar(apps))) {
                throw new IOException(s.jar(apps) + " is missing: build first (mvn -DskipTests install)");
            }
        }
        jwtKeys = JwtKeys.in(home);
        for (String role :
                List.of("complaint-submitter", "agent", "supervisor", "rules-admin", "auditor", "operator")) {
            tokens.put(role, jwtKeys.issue("local-" + role, Set.of(role), Duration.ofHours(12)));
        }
        // An agent who leads a team: may acknowledge and resolve TEAM_LEAD escalations (claim "level",
        // docs/security.md), which the plain agent's token may not.
        tokens.put(
                "team-lead",
                jwtKeys.issue("local-team-lead", Set.of("agent"), Duration.ofHours(12), Map.of("level", "TEAM_LEAD")));
        say("starting PostgreSQL on 127.0.0.1:" + pgPort + " (data in " + repo.relativize(home.resolve("postgres"))
                + ")");
        postgres = EmbeddedPostgres.start(home.resolve("postgres"), pgPort, true);
        this.kafkaPort = kafkaPort;
        bootstrapServers = "127.0.0.1:" + kafkaPort;
        say("starting Kafka on " + bootstrapServers + " in its own process (data in "
                + repo.relativize(home.resolve("kafka")) + ", log "
                + repo.relativize(home.resolve("logs").resolve("kafka.log")) + ")");
        startBroker();
        EmbeddedKafka.createTopics(bootstrapServers, 6);
        say("topics: " + String.join(", ", Topics.all()));

        for (Service s : SERVICES) {
            postgres.createDatabase(s.database(), false);
            startService(s);
        }
        for (Service s : SERVICES) {
            awaitReady(s);
        }
        say("");
        say("PostgreSQL         jdbc:postgresql://127.0.0.1:" + pgPort + "/<service database>  (user postgres)");
        say("Kafka              " + bootstrapServers);
        for (Service s : SERVICES) {
            say(String.format(
                    "%-18s http://127.0.0.1:%d   (OpenAPI /q/openapi, health /q/health/ready, metrics /q/metrics, log %s)",
                    s.name(), s.port(), repo.relativize(home.resolve("logs").resolve(s.name() + ".log"))));
        }
        say("audit log          http://127.0.0.1:8084/audit/entries   case history /audit/cases/{caseId}");
        say(
                "verify             http://127.0.0.1:8084/audit/verify    export /audit/export   public key /audit/public-key");
        say("live stream        http://127.0.0.1:8084/streams/cases   (Server-Sent Events; ?severity=&level=&type=)");
        say("console            http://127.0.0.1:8084/console/   (sign in with a token below; docs/console.md)");
        say(
                "follow-ups         http://127.0.0.1:8083/followups?status=DUE   deadlines at risk /deadlines/at-risk   a case's /cases/{caseId}/deadlines   profiles /profiles");
        say("");
        say("Every call needs a bearer token (docs/security.md). Tokens for this run, valid 12 hours (also in "
                + repo.relativize(home.resolve("tokens.env")) + "):");
        StringBuilder env = new StringBuilder();
        for (Map.Entry<String, String> t : tokens.entrySet()) {
            String var = "REDRESS_TOKEN_" + t.getKey().toUpperCase(Locale.ROOT).replace('-', '_');
            say("  " + var + "=" + t.getValue());
            env.append("export ").append(var).append('=').append(t.getValue()).append('\n');
        }
        JwtKeys.writeOwnerOnly(home.resolve("tokens.env"), env.toString());
        say("e.g.  . " + repo.relativize(home.resolve("tokens.env"))
                + "; curl -H \"Authorization: Bearer $REDRESS_TOKEN_AGENT\" http://127.0.0.1:8081/complaints");
        supervise();
    }

    private void startService(Service s) throws IOException {
        List<String> command = jvm(s.name());
        // A short consumer session: after an unclean stop, the next run's consumers get their
        // partitions in seconds rather than waiting out the default 45 s for the old members.
        command.addAll(List.of(
                "-XX:+UseSerialGC", "-Xmx512m", "-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=10000"));
        // Further JVM options for every service, e.g. a flight recording for a profile
        // (docs/performance.md): REDRESS_SERVICE_JAVA_OPTS, separated by spaces.
        String extra = env("REDRESS_SERVICE_JAVA_OPTS", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.replace("{service}", s.name()).split("\\s+")));
        }
        command.addAll(List.of("-jar", s.jar(apps).toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(s.port()));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(s.database()));
        if (s.restrictedRole() == null) {
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        } else {
            env.put("QUARKUS_DATASOURCE_USERNAME", s.restrictedRole());
            env.put("QUARKUS_DATASOURCE_PASSWORD", s.restrictedRole());
            env.put("QUARKUS_FLYWAY_USERNAME", postgres.user());
            env.put("QUARKUS_FLYWAY_PASSWORD", postgres.password());
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        // Tokens signed by the run's own key pair (generated in .redress/ on first start).
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", jwtKeys.publicKeyFile().toString());
        // The checkpoint signing key is generated here on first start and kept between runs; a
        // retired key's public half goes into the keyring folder (docs/audit-log.md).
        env.put(
                "REDRESS_AUDIT_SIGNING_KEY_FILE",
                home.resolve("audit-signing-key.pem").toString());
        env.put("REDRESS_AUDIT_SIGNING_GENERATE_IF_MISSING", "true");
        env.put(
                "REDRESS_AUDIT_SIGNING_RETIRED_KEYS_DIR",
                home.resolve("retired-signing-keys").toString());
        if (s.name().equals("intake-service")) {
            // The key that wraps customers' data keys (docs/security.md); made on first start, kept between runs.
            env.put("REDRESS_CUSTOMER_KEYS_KEK", customerKek(home));
        }
        env.putAll(s.env());
        Path log = home.resolve("logs").resolve(s.name() + ".log");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        say("starting " + s.name() + " on port " + s.port());
        Process p = pb.start();
        processes.put(s, p);
        // The pid and the process's start time: a pid reused by another process later is never taken for it.
        Files.writeString(
                home.resolve("services.pids"),
                p.pid() + " " + p.info().startInstant().map(Instant::toString).orElse("-") + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Starts the broker in a JVM of its own ({@link EmbeddedKafka#main}, the runner's class path), its
     * output appended to {@code logs/kafka.log}, and waits until it answers. Its pid and start time
     * are kept in {@code broker.pid}, so that a run killed outright does not leave it holding the port.
     */
    private void startBroker() throws IOException, InterruptedException {
        List<String> command = jvm("kafka");
        command.addAll(List.of(
                "-XX:+UseSerialGC",
                "-Xmx768m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + env("REDRESS_INFRA_LOG_LEVEL", "warn"),
                // Its first-start notice ("the metadata log appears to be empty") is expected here.
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController=error",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedKafka.class.getName(),
                home.resolve("kafka").toString(),
                String.valueOf(kafkaPort),
                String.valueOf(kafkaPort + 1)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("logs").resolve("kafka.log").toFile()));
        Process p = pb.start();
        kafka = p;
        Files.writeString(
                home.resolve("broker.pid"),
                p.pid() + " " + p.info().startInstant().map(Instant::toString).orElse("-") + "\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!brokerAnswers()) {
            if (!p.isAlive()) {
                throw new IOException("Kafka exited with code " + p.exitValue() + " while starting; see "
                        + home.resolve("logs").resolve("kafka.log"));
            }
            if (System.nanoTime() > deadline || stopping) {
                throw new IOException("Kafka did not answer within 90 s; see "
                        + home.resolve("logs").resolve("kafka.log"));
            }
            Thread.sleep(500);
        }
    }

    /**
     * Whether the broker answers a metadata request within a few seconds. Only asked once its port
     * accepts connections, so that a broker still starting does not fill the console with the
     * client's connection warnings.
     */
    private boolean brokerAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", kafkaPort), 1000);
        } catch (IOException e) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                4000))) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private void awaitReady(Service s) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && !stopping) {
            Process p = processes.get(s);
            if (p != null && !p.isAlive()) {
                // Whatever answers on the port, it is not the process just started.
                throw new IOException(s.name() + " exited with code " + p.exitValue()
                        + " while starting; see its log in " + home.resolve("logs"));
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    say(s.name() + " is ready");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException(s.name() + " did not become ready in 90 s; see its log in " + home.resolve("logs"));
    }

    /**
     * A run that was killed outright (kill -9) leaves its services and its PostgreSQL server running,
     * holding the ports and the data directory. They are stopped here before anything starts:
     * services first (so that they let go of their connections), then the broker, then the database.
     */
    public void stopLeftovers() throws IOException {
        Path pids = home.resolve("services.pids");
        if (Files.exists(pids)) {
            for (String line : Files.readAllLines(pids)) {
                String[] parts = line.trim().split(" ");
                if (!parts[0].isBlank()) {
                    stopIfRunning(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : null, "quarkus-run.jar");
                }
            }
            Files.delete(pids);
        }
        Path broker = home.resolve("broker.pid");
        if (Files.exists(broker)) {
            String[] parts = Files.readString(broker).trim().split(" ");
            if (!parts[0].isBlank()) {
                stopIfRunning(
                        Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : null, EmbeddedKafka.class.getName());
            }
            Files.delete(broker);
        }
        Path postmaster = home.resolve("postgres").resolve("postmaster.pid");
        if (Files.exists(postmaster)) {
            List<String> lines = Files.readAllLines(postmaster);
            if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                stopIfRunning(Long.parseLong(lines.get(0).trim()), null, "postgres");
            }
        }
    }

    /**
     * Stops the process {@code pid} if it is still the one an earlier run started: alive, running
     * {@code expectedCommand}, and (when recorded) started at {@code startedAt}; a pid the system has
     * since given to another process is left alone.
     */
    static void stopIfRunning(long pid, String startedAt, String expectedCommand) {
        ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info()
                        .commandLine()
                        .map(c -> c.contains(expectedCommand))
                        .orElse(false))
                .filter(h -> startedAt == null
                        || "-".equals(startedAt)
                        || h.info()
                                .startInstant()
                                .map(t -> t.toString().equals(startedAt))
                                .orElse(false))
                .ifPresent(h -> {
                    say("stopping " + expectedCommand + " (pid " + pid + ") left running by an earlier run");
                    h.destroy();
                    try {
                        h.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
    }

    /**
     * Watches PostgreSQL, the broker and every service, as an orchestrator would. PostgreSQL that stops
     * answering three checks running is started again on its data (the services' pools find their
     * connections again); so is a broker whose process exited, or that failed three checks running. A
     * service that exits, or whose liveness check fails three times running (a closed Kafka channel,
     * say), is reported and restarted: at once the first time, then after longer and longer waits
     * while it keeps failing soon after each start ({@link RestartBackoff}). A component in
     * {@link #leaveAlone(String, boolean)} is neither checked nor restarted.
     */
    private void supervise() {
        Thread t = new Thread(
                () -> {
                    HttpClient http = HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(3))
                            .build();
                    Map<Service, Integer> notLive = new HashMap<>();
                    Map<Service, RestartBackoff> backoffs = new HashMap<>();
                    Map<Service, String> waiting = new HashMap<>();
                    int pgDown = 0;
                    int brokerDown = 0;
                    for (Service s : SERVICES) {
                        backoffs.computeIfAbsent(s, k -> new RestartBackoff()).started(Instant.now());
                    }
                    while (!stopping) {
                        try {
                            Thread.sleep(5_000);
                        } catch (InterruptedException e) {
                            return;
                        }
                        pgDown = leftAlone.contains(POSTGRES) || postgresAnswers() ? 0 : pgDown + 1;
                        if (pgDown >= 3 && !stopping) {
                            restartPostgres(
                                    "PostgreSQL does not answer; starting it again on its data (the services reconnect by themselves)");
                            pgDown = 0;
                        }
                        Process broker = kafka;
                        if (!leftAlone.contains(KAFKA) && broker != null && !broker.isAlive()) {
                            restartBroker("Kafka exited with code " + broker.exitValue());
                            brokerDown = 0;
                        } else {
                            brokerDown = leftAlone.contains(KAFKA) || brokerAnswers() ? 0 : brokerDown + 1;
                            if (brokerDown >= 3 && !stopping) {
                                restartBroker("Kafka failed its check 3 times");
                                brokerDown = 0;
                            }
                        }
                        for (Service s : SERVICES) {
                            if (stopping) {
                                return;
                            }
                            if (leftAlone.contains(s.name())) {
                                notLive.remove(s);
                                continue;
                            }
                            RestartBackoff backoff = backoffs.get(s);
                            Process p = processes.get(s);
                            if (waiting.containsKey(s)) {
                                if (backoff.due(Instant.now())) {
                                    restart(s, p, waiting.remove(s));
                                    backoff.started(Instant.now());
                                }
                                continue;
                            }
                            String reason = null;
                            if (p == null || !p.isAlive()) {
                                reason = "exited" + (p == null ? "" : " with code " + p.exitValue());
                            } else if (!live(http, s)) {
                                int n = notLive.merge(s, 1, Integer::sum);
                                if (n >= 3) {
                                    reason = "failed its liveness check " + n + " times";
                                }
                            } else {
                                notLive.remove(s);
                            }
                            if (reason != null) {
                                notLive.remove(s);
                                Instant next = backoff.failed(Instant.now());
                                if (backoff.due(Instant.now())) {
                                    restart(s, p, reason);
                                    backoff.started(Instant.now());
                                } else {
                                    say(s.name() + " " + reason + ", " + backoff.failuresInARow()
                                            + " times in a row soon after starting; "
                                            + "restarting it at " + next + " (log: "
                                            + repo.relativize(
                                                    home.resolve("logs").resolve(s.name() + ".log")) + ")");
                                    waiting.put(s, reason);
                                }
                            }
                        }
                    }
                },
                "redress-supervisor");
        t.setDaemon(true);
        t.start();
    }

    private boolean postgresAnswers() {
        EmbeddedPostgres pg = postgres;
        if (pg == null) {
            return true;
        }
        try (Connection c = pg.connect("postgres");
                Statement st = c.createStatement()) {
            st.setQueryTimeout(5);
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private synchronized void restartPostgres(String why) {
        if (stopping || postgres == null) {
            return;
        }
        say(why);
        int port = postgres.port();
        try {
            postgres.close();
        } catch (Exception e) {
            // it is already gone: start it again below
        }
        try {
            postgres = EmbeddedPostgres.start(home.resolve("postgres"), port, true);
            say("PostgreSQL is back on 127.0.0.1:" + port);
        } catch (Exception e) {
            say("PostgreSQL could not be started again: " + e.getMessage() + "; will try again");
        }
    }

    /** Stops the broker's process if it still runs (terminate, then kill) and starts it again on its data. */
    private synchronized void restartBroker(String why) {
        if (stopping) {
            return;
        }
        say(why + "; starting it again on its data (log: "
                + repo.relativize(home.resolve("logs").resolve("kafka.log")) + ")");
        try {
            stopBroker();
            startBroker();
            say("Kafka is back on " + bootstrapServers);
        } catch (IOException e) {
            say("Kafka could not be started again: " + e.getMessage() + "; will try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopBroker() throws InterruptedException {
        Process p = kafka;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean live(HttpClient http, Service s) {
        try {
            return healthy(http, s.port(), "live");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Whether the service on {@code port} answers {@code /q/health/<check>} ({@code live},
     * {@code ready}) with 200 within five seconds; not answering at all counts as not healthy.
     */
    public static boolean healthy(HttpClient http, int port, String check) throws InterruptedException {
        try {
            return http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + port + "/q/health/" + check))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void restart(Service s, Process old, String reason) {
        if (stopping) {
            return;
        }
        say(s.name() + " " + reason + "; restarting it (log: "
                + repo.relativize(home.resolve("logs").resolve(s.name() + ".log")) + ")");
        try {
            if (old != null && old.isAlive()) {
                old.destroy();
                if (!old.waitFor(15, TimeUnit.SECONDS)) {
                    old.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            startService(s);
            if (!stopping) {
                awaitReady(s);
            }
        } catch (IOException e) {
            say("could not restart " + s.name() + ": " + e.getMessage() + "; will try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the watchdog, then every service, the broker and PostgreSQL. */
    public void stop() {
        stopping = true; // before the lock: a restart in progress gives up at its next check
        synchronized (this) {
            stopAll();
        }
    }

    private void stopAll() {
        for (Process p : processes.values()) {
            p.destroy();
        }
        // How long a service may take to stop before it is killed: longer where a JVM writes a
        // cache at exit (REDRESS_SERVICE_JAVA_OPTS with Java 25's -XX:AOTCacheOutput).
        long wait = Long.parseLong(env("REDRESS_STOP_WAIT_SECONDS", "15"));
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(wait, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        processes.clear();
        try {
            Files.deleteIfExists(home.resolve("services.pids"));
        } catch (IOException e) {
            // nothing left to stop by it anyway
        }
        if (kafka != null) {
            say("stopping Kafka");
            try {
                stopBroker();
                Files.deleteIfExists(home.resolve("broker.pid"));
            } catch (InterruptedException e) {
                kafka.destroyForcibly();
            } catch (IOException e) {
                // the broker is stopped; only its pid file is left
            }
            kafka = null;
        }
        if (postgres != null) {
            say("stopping PostgreSQL");
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("redress: PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            postgres = null;
        }
        say("stopped");
    }

    /**
     * Starts a run of a tool's own (the fault suite, the benchmark) in {@code home}: what an earlier
     * run of it left is stopped and deleted, the services run from copies of their built
     * applications ({@link #runCopiesOfTheApps()}), PostgreSQL and the broker on free ports, and a
     * shutdown hook stops everything. Only a directory the tool made (it holds the marker file
     * {@code .<tool>}) or an empty one is emptied, so that a mistaken {@code homeVariable} (the
     * local run's {@code .redress}, say) is refused rather than deleted.
     */
    public static LocalRun startInOwnDirectory(Path home, String tool, String homeVariable)
            throws IOException, InterruptedException {
        LocalRun run = new LocalRun(home);
        if (Files.exists(home)) {
            run.stopLeftovers();
        }
        emptyOwnDirectory(home, tool, homeVariable);
        Runtime.getRuntime().addShutdownHook(new Thread(run::stop, tool + "-stop"));
        run.runCopiesOfTheApps();
        int kafkaPort;
        do {
            kafkaPort = Ports.free();
        } while (!isFree(kafkaPort + 1));
        run.start(Ports.free(), kafkaPort);
        return run;
    }

    private static void emptyOwnDirectory(Path home, String tool, String homeVariable) throws IOException {
        Path marker = home.resolve("." + tool);
        Files.createDirectories(home);
        try (Stream<Path> entries = Files.list(home)) {
            if (entries.findAny().isPresent() && !Files.exists(marker)) {
                throw new IOException(home + " is not the " + tool + "'s own directory (no " + marker.getFileName()
                        + "): choose another " + homeVariable);
            }
        }
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(home)) {
                    Files.delete(p);
                }
            }
        }
        Files.writeString(marker, "made by the " + tool + "; emptied at its next run\n");
    }

    /**
     * Runs copies of the services' built applications ({@code <module>/target/quarkus-app}), made now in
     * {@code apps/} of the run's home, instead of the build's own: a build running beside a long run
     * (the fault suite's) then cannot replace or delete what a restart starts. Call before {@link #start}.
     */
    public void runCopiesOfTheApps() throws IOException {
        Path copies = home.resolve("apps");
        for (Service s : SERVICES) {
            Path from = s.jar(repo).getParent();
            if (!Files.exists(from)) {
                throw new IOException(from + " is missing: build first (mvn -DskipTests install)");
            }
            Path to = s.jar(copies).getParent();
            try (var files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        // With their times: a JVM's class-data or ahead-of-time cache made from
                        // an earlier run's copies is valid only for jars of the same time and size.
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        apps = copies;
    }

    /** A bearer token (without {@code Bearer }) per role for this run, as in {@code tokens.env}. */
    public Map<String, String> tokens() {
        return Map.copyOf(tokens);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The PostgreSQL server as it is now (a restart replaces it). */
    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public Path home() {
        return home;
    }

    /**
     * The running process of a component: a service by its name, {@link #KAFKA} (the broker's JVM) or
     * {@link #POSTGRES} (the postmaster, from its {@code postmaster.pid}); empty while it is not running.
     */
    public Optional<ProcessHandle> process(String component) {
        if (KAFKA.equals(component)) {
            return Optional.ofNullable(kafka).filter(Process::isAlive).map(Process::toHandle);
        }
        if (POSTGRES.equals(component)) {
            try {
                List<String> lines = Files.readAllLines(home.resolve("postgres").resolve("postmaster.pid"));
                return lines.isEmpty()
                        ? Optional.empty()
                        : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
        return SERVICES.stream()
                .filter(s -> s.name().equals(component))
                .findFirst()
                .map(processes::get)
                .filter(Process::isAlive)
                .map(Process::toHandle);
    }

    /**
     * While {@code alone} is true the watchdog neither checks nor restarts the component (a service's
     * name, {@link #KAFKA} or {@link #POSTGRES}): a pause or an outage made on purpose, which it would
     * otherwise end by a restart.
     */
    public void leaveAlone(String component, boolean alone) {
        if (alone) {
            leftAlone.add(component);
        } else {
            leftAlone.remove(component);
        }
    }

    /** Stops PostgreSQL (a fast shutdown), for an outage; {@link #startPostgres()} brings it back on its data. */
    public synchronized void stopPostgres() throws IOException {
        say("stopping PostgreSQL (an outage on purpose)");
        postgres.close();
    }

    /** Starts PostgreSQL again on its data after {@link #stopPostgres()}. */
    public void startPostgres() {
        restartPostgres("starting PostgreSQL again on its data");
    }

    /**
     * The configured or default port; a free one (said aloud) when the default is taken by
     * something else. {@code width} consecutive ports are needed.
     */
    static int portOrFree(String variable, int fallback, String what, int width) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Integer.parseInt(configured.trim());
        }
        if (isFree(fallback) && (width == 1 || isFree(fallback + 1))) {
            return fallback;
        }
        int port;
        do {
            port = Ports.free();
        } while (width > 1 && !isFree(port + 1));
        say("port " + fallback + " is in use; " + what + " will listen on " + port + " (set " + variable
                + " to choose)");
        return port;
    }

    /** Whether nothing listens on this loopback port. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The services whose answers people and systems wait on while the system is under load:
     * intake-service (the systems posting complaints, the agents working cases) and audit-service
     * (auditors' queries, the operations teams' live stream, both only as fresh as its own
     * consumer). They run at the runner's own priority; the broker, escalation-service and
     * followup-service at {@link #background}'s.
     */
    static final Set<String> WAITED_ON = Set.of("intake-service", "audit-service");

    /**
     * The prefix that starts an asynchronous part (the broker, escalation-service and
     * followup-service) at a lower CPU priority than the services in {@link #WAITED_ON}:
     * {@code nice -n N} with N from {@code REDRESS_BACKGROUND_NICE} (default
     * {@value #BACKGROUND_NICE}; 0 starts everything alike). When the cores are short, a post is
     * answered first and those parts catch up after, in larger batches (docs/performance.md, "The
     * POST path first"); otherwise the priority changes nothing. Empty where there is no {@code nice}
     * on the PATH.
     */
    static List<String> background(boolean asynchronous) {
        String setting = env("REDRESS_BACKGROUND_NICE", String.valueOf(BACKGROUND_NICE));
        int nice = setting.strip().matches("\\d{1,2}") ? Integer.parseInt(setting.strip()) : -1;
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException(
                    "REDRESS_BACKGROUND_NICE must be a niceness from 0 to 19, not '" + setting + "'");
        }
        if (!asynchronous || nice == 0) {
            return List.of();
        }
        boolean found = Arrays.stream(env("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "nice")));
        return found ? List.of("nice", "-n", String.valueOf(nice)) : List.of();
    }

    static final int BACKGROUND_NICE = 5;

    /**
     * The parts that keep the JVM's full JIT even with {@code REDRESS_JIT=c1}: audit-service, whose
     * hot path is SHA-256 (every entry appended, every verification and export), which only the
     * optimising compiler (C2) turns into the processor's SHA instructions; with the client
     * compiler alone it hashes about a ninth as fast (docs/performance.md, "Audit log at
     * 1,000,000 entries").
     */
    static final Set<String> FULL_JIT = Set.of("audit-service");

    /**
     * The JIT options for a part (a service's name, or {@code kafka} for the broker), from
     * {@code REDRESS_JIT}: {@code tiered} (the default) leaves the JVM's own (the client compiler,
     * then the optimising one for what stays hot); {@code c1} compiles with the client compiler
     * alone ({@code -XX:TieredStopAtLevel=1}), but for {@link #FULL_JIT}. The first minutes of a
     * run cost about half as much with {@code c1}, and every minute after about seven costs more
     * (docs/performance.md, "Eleventh round"): {@code c1} is for short runs, such as a demo.
     */
    static List<String> jit(String part) {
        return jit(part, env("REDRESS_JIT", "tiered"));
    }

    static List<String> jit(String part, String setting) {
        return switch (setting.strip()) {
            case "c1" -> FULL_JIT.contains(part) ? List.of() : List.of("-XX:TieredStopAtLevel=1");
            case "tiered" -> List.of();
            default -> throw new IllegalArgumentException("REDRESS_JIT must be c1 or tiered, not '" + setting + "'");
        };
    }

    /**
     * How a part's JVM starts (a service's name, or {@code kafka} for the broker): at its priority
     * ({@link #background}: the parts not in {@link #WAITED_ON}), the runner's own {@code java}, and
     * its JIT options ({@link #jit}); a new list, for the caller to go on with.
     */
    static List<String> jvm(String part) {
        List<String> command = new ArrayList<>(background(!WAITED_ON.contains(part)));
        command.add(javaBin());
        command.addAll(jit(part));
        return command;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The local run's key-encryption key: 32 random bytes, base64, in an owner-only file of the run's home. */
    static String customerKek(Path home) throws IOException {
        Path file = home.resolve("customer-kek");
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            // Created owner-only before the key is written, so that it is never readable by others.
            JwtKeys.writeOwnerOnly(file, Base64.getEncoder().encodeToString(raw) + "\n");
        }
        return Files.readString(file).trim();
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static void say(String s) {
        System.out.println("redress | " + s);
    }

    /**
     * The seeds' difficult customer ({@link DifficultCustomer}, the scenario the end-to-end tests play
     * too), then the case's first event as it is on Kafka, the log's live stream, a signed checkpoint
     * and an export verified offline, and where to look.
     */
    static final class Demo {
        private final String bootstrapServers;
        private final Map<String, String> tokens;
        private final HttpClient http = HttpClient.newHttpClient();

        Demo(String bootstrapServers, Map<String, String> tokens) {
            this.bootstrapServers = bootstrapServers;
            this.tokens = tokens;
        }

        private String bearer(String role) {
            return "Bearer " + tokens.get(role);
        }

        void run() throws IOException, InterruptedException {
            say("");
            say(
                    "demo: the difficult customer (docs/system-tests.md), played through the public APIs with the tokens above");
            DifficultCustomer.Result result = new DifficultCustomer(
                            new DifficultCustomer.Endpoints(url(8081), url(8082), url(8083), url(8084)), tokens)
                    .output(line -> say("demo " + line))
                    .play();
            String id = result.caseId();
            if (id == null) {
                return;
            }
            say("demo: the escalations, GET " + url(8082) + "/cases/" + id + "/escalations:");
            for (DifficultCustomer.Escalation e : result.escalations()) {
                say(String.format(
                        "  %-10s -> %-10s %-34s %-9s %s",
                        e.previousLevel(), e.level(), e.ruleId() + " v" + e.ruleVersion(), e.action(), e.status()));
            }
            List<ConsumerRecord<String, String>> records = read(id, 1);
            if (!records.isEmpty()) {
                ConsumerRecord<String, String> r = records.get(0);
                say("demo: the complaint as a CloudEvent on " + Topics.CASE_EVENTS + " (key " + id + ", partition "
                        + r.partition() + ", offset " + r.offset() + "):");
                say("  " + r.value());
            }
            audit(id);
            say("demo: where to look ("
                    + (result.ok() ? "the scenario ran to the end" : "the scenario stopped: " + result.failure())
                    + "):");
            say("  the case              " + url(8081) + "/complaints/" + id
                    + "  (interactions /interactions, promises /promises)");
            say("  its escalations       " + url(8082) + "/cases/" + id + "/escalations   the queue " + url(8082)
                    + "/escalations?status=OPEN");
            say("  its deadlines         " + url(8083) + "/cases/" + id + "/deadlines   at risk " + url(8083)
                    + "/deadlines/at-risk");
            say("  its follow-ups        " + url(8083) + "/followups?caseId=" + id + "   the DEMO profile " + url(8083)
                    + "/profiles/DEMO");
            say("  keeping it informed   " + url(8083) + "/cases/" + id + "/progress-updates   notices " + url(8083)
                    + "/cases/" + id + "/customer-notices");
            say("  abuse reports         " + url(8081) + "/abuse-reports?caseId=" + id
                    + "  (supervisor)   the coaching lexicon " + url(8081) + "/coaching/lexicon");
            say("  its history (auditor) " + url(8084) + "/audit/cases/" + id + "   verify " + url(8084)
                    + "/audit/verify");
            say("  the live stream       " + url(8084) + "/streams/cases  (role operator)   the console " + url(8084)
                    + "/console/");
        }

        private static String url(int port) {
            return "http://127.0.0.1:" + port;
        }

        /** The same case in the audit log, on the live stream, and in an export verified offline. */
        private void audit(String caseId) throws IOException, InterruptedException {
            // The scenario printed the case's history; here the same entries on the stream, signed and exported.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            JsonNode history = null;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = get(8084, "/audit/cases/" + caseId);
                if (r.statusCode() == 200) {
                    history = EventCodec.mapper().readTree(r.body());
                    if (history.path("entries").asInt() >= 4) {
                        break;
                    }
                }
                Thread.sleep(300);
            }
            if (history == null) {
                say("  the audit log has not recorded the case yet");
                return;
            }
            long first = history.path("history").path(0).path("seq").asLong();
            say("demo: GET http://127.0.0.1:8084/streams/cases with Last-Event-ID: " + first + " (first three events)");
            HttpRequest sse = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8084/streams/cases"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", bearer("operator"))
                    .header("Last-Event-ID", String.valueOf(first))
                    .build();
            try (var lines = http.send(sse, HttpResponse.BodyHandlers.ofLines()).body()) {
                lines.filter(l -> l.startsWith("data:"))
                        .limit(3)
                        .map(l -> {
                            try {
                                var e = EventCodec.mapper().readTree(l.substring(5));
                                return "id " + e.path("seq").asText() + ": "
                                        + e.path("type").asText() + " - "
                                        + e.path("description").asText();
                            } catch (IOException ex) {
                                return l;
                            }
                        })
                        .forEach(l -> say("  " + l));
            }
            HttpRequest checkpoint = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8084/audit/checkpoints"))
                    .header("Authorization", bearer("auditor"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            say("demo: POST /audit/checkpoints -> "
                    + http.send(checkpoint, HttpResponse.BodyHandlers.ofString())
                            .body());
            String pem = get(8084, "/audit/public-key").body();
            String export = get(8084, "/audit/export").body();
            try {
                var result = AuditExportVerifier.verify(export, AuditExportVerifier.publicKey(pem));
                say("demo: GET /audit/export verified offline (docs/audit-log.md): "
                        + (result.ok() ? "OK" : "FAILED " + result.problems()) + ", " + result.entries() + " entries, "
                        + result.checkpoints()
                        + " signed checkpoints, head " + result.lastChainHash());
            } catch (Exception e) {
                say("demo: the export could not be verified: " + e);
            }
            say("demo: GET /audit/verify -> " + get(8084, "/audit/verify").body());
        }

        /** A read of the audit log, as an auditor. */
        private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
            return get(port, path, "auditor");
        }

        private HttpResponse<String> get(int port, String path, String role) throws IOException, InterruptedException {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Authorization", bearer(role))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private List<ConsumerRecord<String, String>> read(String key, int expected) {
            return read(Topics.CASE_EVENTS, key, expected, Duration.ofSeconds(20));
        }

        /** The topic's records with this key, from the beginning: until {@code expected} are found or the time is up. */
        private List<ConsumerRecord<String, String>> read(String topic, String key, int expected, Duration atMost) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "redress-demo-" + UUID.randomUUID());
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            try (KafkaConsumer<String, String> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                List<TopicPartition> parts = c.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                long deadline = System.nanoTime() + atMost.toNanos();
                while (out.size() < expected && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                        if (key.equals(r.key())) {
                            out.add(r);
                        }
                    }
                }
            }
            return out;
        }
    }
}
