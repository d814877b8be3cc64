package redress.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
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
import redress.testsupport.ServiceProcess;
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
    final ServiceProcess app = new ServiceProcess(Api.APP_JAR, infra, "intake_crash", null);

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void killedWhileAcceptingComplaintsLosesNothing() throws Exception {
        app.start("crash-it-first", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        Map<UUID, Integer> acceptedSteps = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            pool.submit(() -> drive(running, acceptedSteps));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acceptedSteps.size() >= 150);

        app.kill();
        int acceptedBeforeKill = acceptedSteps.size();
        app.start("crash-it-restarted", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acceptedSteps.size() >= acceptedBeforeKill + 100);
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));

        // Every accepted case is there after the crash.
        for (UUID id : acceptedSteps.keySet()) {
            assertEquals(200, app.get("/complaints/" + id).statusCode(), "case " + id + " got a 201 and must exist");
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
                HttpResponse<String> created = app.post("/complaints", Api.complaintJson(Api.newCustomer()));
                if (created.statusCode() != 201) {
                    pause();
                    continue;
                }
                String location = created.headers().firstValue("Location").orElseThrow();
                UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
                acceptedSteps.put(id, 1);
                if (app.post("/complaints/" + id + "/interactions",
                        "{\"kind\":\"ACKNOWLEDGEMENT\",\"text\":\"We have your complaint\"}").statusCode() != 201) {
                    continue;
                }
                acceptedSteps.put(id, 2);
                if (app.post("/complaints/" + id + "/interactions", "{\"kind\":\"NOTE\",\"text\":\"Checked the ledger\"}")
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

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
