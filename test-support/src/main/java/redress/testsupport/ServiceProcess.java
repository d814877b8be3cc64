package redress.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import redress.localinfra.Ports;

/**
 * A built service ({@code quarkus-run.jar}) running as a process of its own against the test
 * infrastructure, for tests that kill it, run two of it, or measure it; and an HTTP client for it.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Path jar;
    private final Path logDir;
    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port = Ports.free();
    private Process process;

    /**
     * @param role the restricted role the service connects as (migrations then run as the owner), or null
     */
    public ServiceProcess(Path jar, TestInfrastructure infra, String database, String role) {
        this.jar = jar;
        this.logDir = Path.of("target");
        String url = infra.database(database);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", url);
        env.put("QUARKUS_DATASOURCE_USERNAME", role == null ? infra.postgres().user() : role);
        env.put("QUARKUS_DATASOURCE_PASSWORD", role == null ? infra.postgres().password() : role);
        if (role != null) {
            env.put("QUARKUS_FLYWAY_USERNAME", infra.postgres().user());
            env.put("QUARKUS_FLYWAY_PASSWORD", infra.postgres().password());
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                TestTokens.keys().publicKeyFile().toString());
        // intake-service's key-encryption key (the built jar runs in the prod profile, which has none).
        env.put(
                "REDRESS_CUSTOMER_KEYS_KEK",
                Base64.getEncoder()
                        .encodeToString("test-process-customer-kek-32-byt".getBytes(StandardCharsets.US_ASCII)));
        // Load and crash tests drive one client hard: its rate limit must not be what they measure.
        env.put("REDRESS_RATE_LIMIT_CAPACITY", "1000000000");
        env.put("REDRESS_RATE_LIMIT_REFILL", "1000000000");
    }

    public ServiceProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public int port() {
        return port;
    }

    /** Starts the service (output to {@code target/<label>.log}) and waits until it is ready. */
    public void start(String label, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Files.createDirectories(logDir);
        pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logDir.resolve(label + ".log").toFile()));
        process = pb.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptionsMatching(e -> e instanceof IOException)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(label + " exited; see target/" + label + ".log");
                    }
                    return get("/q/health/ready").statusCode() == 200;
                });
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The process id, for benchmarks that read its CPU time or freeze it. */
    public long pid() {
        return process.pid();
    }

    /**
     * Freezes the process (SIGSTOP; POSIX only): it keeps its state, its connections and its JIT's
     * work, and uses no CPU until {@link #resume()}.
     */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Resumes a frozen process (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                .inheritIO()
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public String jdbcUrl() {
        return env.get("QUARKUS_DATASOURCE_JDBC_URL");
    }

    /** The token these helpers send: a test client holding every role. */
    private static final String[] ALL_ROLES = SecurityChecks.ROLES.toArray(String[]::new);

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", TestTokens.bearer("test-client", ALL_ROLES))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", TestTokens.bearer("test-client", ALL_ROLES))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
