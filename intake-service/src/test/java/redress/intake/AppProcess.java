package redress.intake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;

import redress.testsupport.Ports;
import redress.testsupport.TestInfrastructure;

/** The built intake-service ({@code quarkus-run.jar}) as a process of its own, and an HTTP client for it. */
final class AppProcess implements AutoCloseable {

    private final TestInfrastructure infra;
    private final String jdbcUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final int port = Ports.free();
    private Process process;

    AppProcess(TestInfrastructure infra, String database) {
        this.infra = infra;
        this.jdbcUrl = infra.database(database);
    }

    /** Starts the application (its output goes to {@code target/<label>.log}) and waits until it is ready. */
    void start(String label, String... jvmOptions) throws IOException {
        Path jar = Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));
        var command = new java.util.ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.util.List.of(jvmOptions));
        command.addAll(java.util.List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", infra.postgres().user());
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", infra.postgres().password());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                Path.of("target", label + ".log").toFile()));
        process = pb.start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> get("/q/health/ready").statusCode() == 200);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
