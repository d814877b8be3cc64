package redress.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;
import redress.testsupport.TestTokens;

/**
 * The whole system for a test: the four services, each from its built {@code quarkus-run.jar} as a
 * process of its own, against one PostgreSQL (a database per service) and one Kafka broker
 * ({@link TestInfrastructure}, one per test JVM), configured as the local run configures them
 * (intake accepts the {@code DEMO} profile, escalations have 30 s to be acknowledged, audit-service
 * connects as its restricted role {@code audit_writer}).
 *
 * <p>Start it once per test class: {@code SystemUnderTest.start()} or, with settings of a service's
 * own, {@code SystemUnderTest.builder().env("audit-service", "REDRESS_CONSOLE_X", "y").start()}.
 * A second start in the same JVM is the same system started again: the databases, consumer groups
 * and the audit signing key are kept, as they would be on a real restart.
 *
 * <p>Services are named as their modules ({@code "intake-service"}) or shortly ({@code "intake"}).
 * Each one logs to {@code target/system-<service>.log} (a restart appends).
 *
 * <p>{@code builder().replicas(2)} runs every service as that many processes, each on its own port,
 * with the same database, the same consumer groups and the same settings, as a deployment scaled
 * out would. Clients then reach a service through a round-robin {@link ServiceFront} (what a
 * Kubernetes Service does): {@link #baseUrl(String)} is the front's address, and
 * {@link #baseUrl(String, int)} one replica's. Replica {@code r} logs to
 * {@code target/system-<service>-<r+1>.log}.
 */
public final class SystemUnderTest implements AutoCloseable {

    public static final List<String> SERVICES =
            List.of("intake-service", "escalation-service", "followup-service", "audit-service");

    /** The regulatory profiles intake accepts here: the contract's list plus followup-service's DEMO profile. */
    public static final String PROFILES = redress.events.RegulatoryProfiles.NAMES + ",DEMO";

    /** Each service's processes, replica 0 first. */
    private final Map<String, List<ServiceProcess>> processes = new LinkedHashMap<>();
    /** Each service's round-robin front, when it runs more than one replica. */
    private final Map<String, ServiceFront> fronts = new LinkedHashMap<>();

    private final Map<String, String[]> jvmOptions = new LinkedHashMap<>();
    private final TestInfrastructure infra;
    private final int replicas;
    /** Replicas killed and not yet restarted, as {@code service#replica}. */
    private final Set<String> killed = ConcurrentHashMap.newKeySet();

    private SystemUnderTest(TestInfrastructure infra, int replicas) {
        this.infra = infra;
        this.replicas = replicas;
    }

    /** Starts the four services and waits until every {@code /q/health/ready} answers 200. */
    public static SystemUnderTest start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the system before it starts. */
    public static final class Builder {
        private final Map<String, Map<String, String>> env = new LinkedHashMap<>();
        private final Map<String, List<String>> jvm = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> urls = new LinkedHashMap<>();
        private int replicas = 1;

        private Builder() {}

        /** How many processes of every service run side by side (1 unless set). */
        public Builder replicas(int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas: at least 1, not " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * An environment variable for one service holding another service's base URL (ports are chosen
         * before anything starts), e.g. {@code envBaseUrl("audit", "REDRESS_CONSOLE_INTAKE_URL", "intake")}.
         */
        public Builder envBaseUrl(String service, String name, String ofService) {
            urls.computeIfAbsent(name(service), s -> new LinkedHashMap<>()).put(name, name(ofService));
            return this;
        }

        /** An environment variable for one service (it wins over the defaults set here). */
        public Builder env(String service, String name, String value) {
            env.computeIfAbsent(name(service), s -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /** A JVM option for one service, e.g. {@code -Dquarkus.log.level=DEBUG}. */
        public Builder jvmOption(String service, String option) {
            jvm.computeIfAbsent(name(service), s -> new ArrayList<>()).add(option);
            return this;
        }

        public SystemUnderTest start() {
            SystemUnderTest system = new SystemUnderTest(TestInfrastructure.get(), replicas);
            try {
                system.startAll(env, jvm, urls);
            } catch (RuntimeException | Error e) {
                system.close();
                throw e;
            }
            return system;
        }
    }

    private void startAll(
            Map<String, Map<String, String>> extraEnv,
            Map<String, List<String>> extraJvm,
            Map<String, Map<String, String>> urlEnv) {
        Path signingKey = Path.of("target", "system-audit-signing-key.pem").toAbsolutePath();
        for (String service : SERVICES) {
            String database = "sys_" + service.substring(0, service.indexOf('-'));
            List<ServiceProcess> replicaProcesses = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                ServiceProcess p = new ServiceProcess(
                        jar(service), infra, database, service.equals("audit-service") ? "audit_writer" : null);
                switch (service) {
                    case "intake-service" -> p.env("REDRESS_INTAKE_REGULATORY_PROFILES", PROFILES);
                    case "followup-service" -> p.env("REDRESS_FOLLOWUP_ESCALATION_RESPONSE", "PT30S");
                    case "audit-service" ->
                        p.env("REDRESS_AUDIT_SIGNING_KEY_FILE", signingKey.toString())
                                .env("REDRESS_AUDIT_SIGNING_GENERATE_IF_MISSING", "true")
                                .env(
                                        "REDRESS_AUDIT_SIGNING_RETIRED_KEYS_DIR",
                                        Path.of("target", "system-audit-retired-keys")
                                                .toAbsolutePath()
                                                .toString());
                    default -> {}
                }
                extraEnv.getOrDefault(service, Map.of()).forEach(p::env);
                replicaProcesses.add(p);
            }
            List<String> options = new ArrayList<>(List.of(
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xmx384m",
                    // A killed service's partitions go to its restarted self within seconds, not 45.
                    "-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=6000"));
            if (service.equals("audit-service")) {
                // Its channel sets its own group; a channel option given to another service would declare a channel
                // there.
                options.add("-Dmp.messaging.incoming.audit-in.session.timeout.ms=6000");
            }
            options.addAll(extraJvm.getOrDefault(service, List.of()));
            jvmOptions.put(service, options.toArray(String[]::new));
            processes.put(service, replicaProcesses);
            if (replicas > 1) {
                fronts.put(service, new ServiceFront(service, replicaProcesses));
            }
        }
        urlEnv.forEach((service, vars) ->
                vars.forEach((name, of) -> processes.get(service).forEach(p -> p.env(name, baseUrl(of)))));
        // The services side by side, each waiting for its own readiness (bounded inside ServiceProcess); further
        // replicas a wave later, once the first ones have migrated their databases and made the signing key.
        ExecutorService starters = Executors.newFixedThreadPool(SERVICES.size());
        try {
            for (int r = 0; r < replicas; r++) {
                int replica = r;
                List<Future<?>> started = new ArrayList<>();
                for (String service : SERVICES) {
                    started.add(starters.submit(() -> {
                        startOne(service, replica);
                        return null;
                    }));
                }
                for (Future<?> f : started) {
                    f.get(180, TimeUnit.SECONDS);
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "the system did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new IllegalStateException("the system did not start within 180 s", e);
        } finally {
            starters.shutdownNow();
        }
    }

    private void startOne(String service, int replica) throws IOException {
        long t0 = System.nanoTime();
        String label = "system-" + service + (replicas > 1 ? "-" + (replica + 1) : "");
        processes.get(service).get(replica).start(label, jvmOptions.get(service));
        log(label + " ready on port " + port(service, replica) + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    /** The built jar of a service: a system property set by the build, else the reactor's target folder. */
    static Path jar(String service) {
        String configured = System.getProperty("redress.jar." + service);
        Path jar = configured != null
                ? Path.of(configured)
                : Path.of("..", service, "target", "quarkus-app", "quarkus-run.jar")
                        .toAbsolutePath()
                        .normalize();
        if (!Files.exists(jar)) {
            throw new UncheckedIOException(
                    new IOException(jar + " is missing: build the services first (mvn -DskipTests install)"));
        }
        return jar;
    }

    /** {@code "intake"} or {@code "intake-service"} → {@code "intake-service"}. */
    static String name(String service) {
        String full = service.endsWith("-service") ? service : service + "-service";
        if (!SERVICES.contains(full)) {
            throw new IllegalArgumentException("no service " + service + "; one of " + SERVICES);
        }
        return full;
    }

    /** How many processes of every service run. */
    public int replicas() {
        return replicas;
    }

    /** The port clients use: the service's own, or its front's when it runs several replicas. */
    public int port(String service) {
        ServiceFront front = fronts.get(name(service));
        return front != null ? front.port() : port(service, 0);
    }

    /** One replica's own port ({@code replica} from 0). */
    public int port(String service, int replica) {
        return process(service, replica).port();
    }

    /** {@code http://127.0.0.1:<port>} of {@link #port(String)}, without a trailing slash. */
    public String baseUrl(String service) {
        return "http://127.0.0.1:" + port(service);
    }

    /** One replica's own address, without a trailing slash. */
    public String baseUrl(String service, int replica) {
        return "http://127.0.0.1:" + port(service, replica);
    }

    /** The round-robin front of a service that runs several replicas (its request counts per replica). */
    public ServiceFront front(String service) {
        ServiceFront front = fronts.get(name(service));
        if (front == null) {
            throw new IllegalStateException(name(service) + " runs one replica: no front");
        }
        return front;
    }

    /** Every service's base URL, by module name. */
    public Map<String, String> baseUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        SERVICES.forEach(s -> urls.put(s, baseUrl(s)));
        return urls;
    }

    /** The service's (first replica's) process helper (HTTP calls with an all-roles token, its JDBC URL). */
    public ServiceProcess process(String service) {
        return process(service, 0);
    }

    /** One replica's process helper ({@code replica} from 0). */
    public ServiceProcess process(String service, int replica) {
        return processes.get(name(service)).get(replica);
    }

    public TestInfrastructure infrastructure() {
        return infra;
    }

    /** SIGKILL of every replica of the service: no shutdown hook runs, nothing is flushed. Returns once they are gone. */
    public void kill(String service) {
        for (int r = 0; r < replicas; r++) {
            kill(service, r);
        }
    }

    /** SIGKILL of one replica ({@code replica} from 0). Returns once the process is gone. */
    public void kill(String service, int replica) {
        try {
            process(service, replica).kill();
            killed.add(name(service) + "#" + replica);
            log(name(service) + (replicas > 1 ? " replica " + (replica + 1) : "") + " killed (SIGKILL)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts every replica of the service again on the same ports, database and settings (killing
     * them first where they run); waits until they are ready.
     */
    public void restart(String service) {
        for (int r = 0; r < replicas; r++) {
            restart(service, r);
        }
    }

    /** Starts one replica again (killing it first if it runs); waits until it is ready. */
    public void restart(String service, int replica) {
        String s = name(service);
        if (!killed.remove(s + "#" + replica)) {
            kill(s, replica);
            killed.remove(s + "#" + replica);
        }
        try {
            startOne(s, replica);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bearer token (without the {@code Bearer } prefix) for {@code subject} with {@code roles}, valid ten minutes. */
    public String token(String subject, String... roles) {
        return TestTokens.token(subject, roles);
    }

    /** Stops every service (SIGKILL; the infrastructure stays up for the JVM's other tests). */
    @Override
    public void close() {
        fronts.values().forEach(ServiceFront::close);
        processes.values().forEach(replicaProcesses -> replicaProcesses.forEach(ServiceProcess::close));
    }

    static void log(String what) {
        System.out.println(Instant.now() + " system: " + what);
    }
}
