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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
 */
public final class SystemUnderTest implements AutoCloseable {

    public static final List<String> SERVICES = List.of("intake-service", "escalation-service", "followup-service",
            "audit-service");

    /** The regulatory profiles intake accepts here: the contract's list plus followup-service's DEMO profile. */
    public static final String PROFILES = redress.events.RegulatoryProfiles.NAMES + ",DEMO";

    private final Map<String, ServiceProcess> processes = new LinkedHashMap<>();
    private final Map<String, String[]> jvmOptions = new LinkedHashMap<>();
    private final TestInfrastructure infra;
    private final java.util.Set<String> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SystemUnderTest(TestInfrastructure infra) {
        this.infra = infra;
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

        private Builder() {
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
            SystemUnderTest system = new SystemUnderTest(TestInfrastructure.get());
            try {
                system.startAll(env, jvm, urls);
            } catch (RuntimeException | Error e) {
                system.close();
                throw e;
            }
            return system;
        }
    }

    private void startAll(Map<String, Map<String, String>> extraEnv, Map<String, List<String>> extraJvm,
            Map<String, Map<String, String>> urlEnv) {
        Path signingKey = Path.of("target", "system-audit-signing-key.pem").toAbsolutePath();
        for (String service : SERVICES) {
            String database = "sys_" + service.substring(0, service.indexOf('-'));
            ServiceProcess p = new ServiceProcess(jar(service), infra, database,
                    service.equals("audit-service") ? "audit_writer" : null);
            switch (service) {
                case "intake-service" -> p.env("REDRESS_INTAKE_REGULATORY_PROFILES", PROFILES);
                case "followup-service" -> p.env("REDRESS_FOLLOWUP_ESCALATION_RESPONSE", "PT30S");
                case "audit-service" -> p.env("REDRESS_AUDIT_SIGNING_KEY_FILE", signingKey.toString())
                        .env("REDRESS_AUDIT_SIGNING_GENERATE_IF_MISSING", "true")
                        .env("REDRESS_AUDIT_SIGNING_RETIRED_KEYS_DIR",
                                Path.of("target", "system-audit-retired-keys").toAbsolutePath().toString());
                default -> { }
            }
            extraEnv.getOrDefault(service, Map.of()).forEach(p::env);
            List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m",
                    // A killed service's partitions go to its restarted self within seconds, not 45.
                    "-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=6000"));
            if (service.equals("audit-service")) {
                // Its channel sets its own group; a channel option given to another service would declare a channel there.
                options.add("-Dmp.messaging.incoming.audit-in.session.timeout.ms=6000");
            }
            options.addAll(extraJvm.getOrDefault(service, List.of()));
            jvmOptions.put(service, options.toArray(String[]::new));
            processes.put(service, p);
        }
        urlEnv.forEach((service, vars) -> vars.forEach((name, of) -> processes.get(service).env(name, baseUrl(of))));
        // Started side by side: each waits for its own readiness (bounded inside ServiceProcess).
        ExecutorService starters = Executors.newFixedThreadPool(SERVICES.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            for (String service : SERVICES) {
                started.add(starters.submit(() -> {
                    startOne(service);
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get(180, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the system did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            throw new IllegalStateException("the system did not start within 180 s", e);
        } finally {
            starters.shutdownNow();
        }
    }

    private void startOne(String service) throws IOException {
        long t0 = System.nanoTime();
        processes.get(service).start("system-" + service, jvmOptions.get(service));
        log(service + " ready on port " + port(service) + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    /** The built jar of a service: a system property set by the build, else the reactor's target folder. */
    static Path jar(String service) {
        String configured = System.getProperty("redress.jar." + service);
        Path jar = configured != null ? Path.of(configured)
                : Path.of("..", service, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new UncheckedIOException(new IOException(jar + " is missing: build the services first (mvn -DskipTests install)"));
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

    public int port(String service) {
        return processes.get(name(service)).port();
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl(String service) {
        return "http://127.0.0.1:" + port(service);
    }

    /** Every service's base URL, by module name. */
    public Map<String, String> baseUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        SERVICES.forEach(s -> urls.put(s, baseUrl(s)));
        return urls;
    }

    /** The service's process helper (HTTP calls with an all-roles token, its JDBC URL). */
    public ServiceProcess process(String service) {
        return processes.get(name(service));
    }

    public TestInfrastructure infrastructure() {
        return infra;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. Returns once the process is gone. */
    public void kill(String service) {
        try {
            processes.get(name(service)).kill();
            killed.add(name(service));
            log(name(service) + " killed (SIGKILL)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the service again on the same port, database and settings (killing it first if it runs); waits until ready. */
    public void restart(String service) {
        String s = name(service);
        if (!killed.remove(s)) {
            kill(s);
            killed.remove(s);
        }
        try {
            startOne(s);
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
        processes.values().forEach(ServiceProcess::close);
    }

    static void log(String what) {
        System.out.println(Instant.now() + " system: " + what);
    }
}
