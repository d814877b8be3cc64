package redress.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import redress.events.CaseEvent;
import redress.events.Topics;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.Ports;
import redress.testsupport.TestInfrastructure;

/**
 * Invariant 1 against the built application: intake-service runs as its own process
 * ({@code quarkus-run.jar}), is SIGKILLed while clients are submitting and working complaints,
 * and is started again. Every request that got a 201 must have its case and its events on
 * {@code case.events}: at least once, every copy of an event identical, none missing, and no
 * event of a case ahead of an earlier one.
 */
class CrashRecoveryIT {

    /** The events one case produces as the clients drive it: submit, acknowledge, note. */
    static final List<String> SCRIPT = List.of("redress.complaint.received",
            "redress.interaction.recorded", "redress.case.acknowledged", "redress.case.status-changed",
            "redress.interaction.recorded");
    /** How many of SCRIPT's events each accepted step guarantees. */
    static final int[] EVENTS_AFTER_STEP = {1, 4, 5};

    final TestInfrastructure infra = TestInfrastructure.get();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final int port = Ports.free();
    final String jdbcUrl = infra.database("intake_crash");
    Process app;

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.destroyForcibly();
        }
    }

    @Test
    void killedWhileAcceptingComplaintsLosesNothing() throws Exception {
        app = start("first");
        awaitReady();

        Map<UUID, Integer> acceptedSteps = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            pool.submit(() -> drive(running, acceptedSteps));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acceptedSteps.size() >= 150);

        app.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no goodbye
        assertTrue(app.waitFor(10, TimeUnit.SECONDS));
        int acceptedBeforeKill = acceptedSteps.size();
        app = start("restarted");
        awaitReady();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acceptedSteps.size() >= acceptedBeforeKill + 100);
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));

        // Every accepted case is there after the crash.
        for (UUID id : acceptedSteps.keySet()) {
            assertEquals(200, get("/complaints/" + id).statusCode(), "case " + id + " got a 201 and must exist");
        }

        KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers());
        Map<UUID, List<KafkaTestClient.Received>> byCase = Awaitility.await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> group(kafka.readAll(Topics.CASE_EVENTS, r -> true)),
                        m -> acceptedSteps.entrySet().stream().allMatch(e -> distinctEvents(m.get(e.getKey())).size()
                                >= EVENTS_AFTER_STEP[e.getValue() - 1]));

        int duplicates = 0;
        for (var e : acceptedSteps.entrySet()) {
            List<KafkaTestClient.Received> records = byCase.get(e.getKey());
            Map<UUID, String> copies = new LinkedHashMap<>();
            for (KafkaTestClient.Received r : records) {
                String earlier = copies.putIfAbsent(r.event().id(), r.value());
                if (earlier != null) {
                    duplicates++;
                    assertEquals(earlier, r.value(), "every copy of an event is the same event");
                }
                assertEquals(1, records.stream().map(KafkaTestClient.Received::partition).distinct().count(),
                        "one case, one partition");
            }
            List<String> types = distinctEvents(records).stream().map(CaseEvent::type).toList();
            assertTrue(types.size() >= EVENTS_AFTER_STEP[e.getValue() - 1], "events missing for " + e.getKey());
            assertEquals(SCRIPT.subList(0, types.size()), types, "events of case " + e.getKey() + " out of order");
        }
        System.out.printf("crash test: %d cases accepted (%d before the kill), %d duplicate deliveries%n",
                acceptedSteps.size(), acceptedBeforeKill, duplicates);
    }

    /** One client: submit a case, acknowledge it, add a note; start over on any failure. */
    private void drive(AtomicBoolean running, Map<UUID, Integer> acceptedSteps) {
        while (running.get()) {
            try {
                HttpResponse<String> created = post("/complaints", Api.complaintJson(Api.newCustomer()));
                if (created.statusCode() != 201) {
                    pause();
                    continue;
                }
                String location = created.headers().firstValue("Location").orElseThrow();
                UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
                acceptedSteps.put(id, 1);
                if (post("/complaints/" + id + "/interactions",
                        "{\"kind\":\"ACKNOWLEDGEMENT\",\"text\":\"We have your complaint\"}").statusCode() != 201) {
                    continue;
                }
                acceptedSteps.put(id, 2);
                if (post("/complaints/" + id + "/interactions", "{\"kind\":\"NOTE\",\"text\":\"Checked the ledger\"}")
                        .statusCode() == 201) {
                    acceptedSteps.put(id, 3);
                }
            } catch (IOException e) {
                pause(); // the service is down: a client would retry later
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Map<UUID, List<KafkaTestClient.Received>> group(List<KafkaTestClient.Received> all) {
        Map<UUID, List<KafkaTestClient.Received>> m = new LinkedHashMap<>();
        for (KafkaTestClient.Received r : all) {
            m.computeIfAbsent(UUID.fromString(r.key()), k -> new ArrayList<>()).add(r);
        }
        // Within a partition records are in offset order already; a case lives in one partition.
        return m;
    }

    private static List<CaseEvent> distinctEvents(List<KafkaTestClient.Received> records) {
        if (records == null) {
            return List.of();
        }
        Set<UUID> seen = new LinkedHashSet<>();
        List<CaseEvent> out = new ArrayList<>();
        for (KafkaTestClient.Received r : records) {
            CaseEvent e = r.event();
            if (seen.add(e.id())) {
                out.add(e);
            }
        }
        return out;
    }

    private Process start(String label) throws IOException {
        Path jar = Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", infra.postgres().user());
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", infra.postgres().password());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                Path.of("target", "crash-it-" + label + ".log").toFile()));
        return pb.start();
    }

    private void awaitReady() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> get("/q/health/ready").statusCode() == 200);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
