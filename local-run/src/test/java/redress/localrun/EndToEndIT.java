package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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

import com.fasterxml.jackson.databind.JsonNode;

import redress.auditverifier.AuditExportVerifier;
import redress.events.EventCodec;
import redress.testsupport.ServiceProcess;
import redress.testsupport.SseClient;
import redress.testsupport.TestInfrastructure;

/**
 * The first milestone end to end, with the built services as processes of their own: complaints
 * posted to intake-service come out as verified, exportable audit entries and as live events on
 * the case stream. Two audit-service instances share one database (one valid chain), and one of
 * them is SIGKILLed under load and restarted: every accepted complaint is in the log exactly once.
 */
class EndToEndIT {

    static final Path INTAKE = Path.of(System.getProperty("redress.intake.jar"));
    static final Path AUDIT = Path.of(System.getProperty("redress.audit.jar"));

    final TestInfrastructure infra = TestInfrastructure.get();
    final ServiceProcess intake = new ServiceProcess(INTAKE, infra, "e2e_intake", null);
    final ServiceProcess auditA = audit();
    final ServiceProcess auditB = audit();

    ServiceProcess audit() {
        return new ServiceProcess(AUDIT, infra, "e2e_audit", "audit_writer")
                .env(
                        "REDRESS_AUDIT_SIGNING_KEY_FILE",
                        Path.of("target", "e2e-signing-key.pem")
                                .toAbsolutePath()
                                .toString())
                // The first instance to start makes the key; the others (and the restart) read it.
                .env("REDRESS_AUDIT_SIGNING_GENERATE_IF_MISSING", "true")
                .env("REDRESS_AUDIT_CHECKPOINT_EVERY_ENTRIES", "100");
    }

    /** A killed instance's partitions move to the other one within seconds, not 45; own consumer group. */
    static final String[] AUDIT_JVM = {
        "-XX:TieredStopAtLevel=1",
        "-Dmp.messaging.incoming.audit-in.session.timeout.ms=6000",
        "-Dmp.messaging.incoming.audit-in.group.id=e2e-audit"
    };

    SseClient stream;

    @AfterEach
    void stop() {
        if (stream != null) {
            stream.close();
        }
        intake.close();
        auditA.close();
        auditB.close();
    }

    @Test
    void complaintsBecomeVerifiedAuditEntriesAndLiveEvents() throws Exception {
        intake.start("e2e-intake", "-XX:TieredStopAtLevel=1");
        auditA.start("e2e-audit-a", AUDIT_JVM);
        auditB.start("e2e-audit-b", AUDIT_JVM);

        // A live stream opened before anything happens. Every read from it has a deadline.
        stream = SseClient.open(
                auditB.port(),
                "/streams/cases?type=redress.complaint.received",
                Map.of("Authorization", redress.testsupport.TestTokens.bearer("ops-1", "operator")));
        assertEquals(200, stream.status);

        Set<UUID> accepted = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            clients.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = intake.post("/complaints", complaint());
                        if (r.statusCode() == 201) {
                            UUID id = UUID.fromString(EventCodec.mapper()
                                    .readTree(r.body())
                                    .path("id")
                                    .asText());
                            accepted.add(id);
                            intake.post(
                                    "/complaints/" + id + "/interactions",
                                    "{\"kind\":\"ACKNOWLEDGEMENT\",\"text\":\"We have it\"}");
                        }
                    } catch (IOException | InterruptedException e) {
                        return null;
                    }
                }
                return null;
            });
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 40);
        auditA.kill();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 80);
        auditA.start("e2e-audit-a-restarted", AUDIT_JVM);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 100);
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));

        log("load done: " + accepted.size() + " complaints accepted");
        // Every accepted complaint's received event is in the log exactly once, whichever instance wrote it.
        Map<String, Integer> received = Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> receivedPerCase(auditA),
                        m -> accepted.stream().allMatch(id -> m.containsKey(id.toString())));
        for (UUID id : accepted) {
            assertEquals(1, received.get(id.toString()), "case " + id);
        }
        log("every complaint found in the log");
        // One valid chain, seen from both instances; an export verifies offline.
        for (ServiceProcess audit : List.of(auditA, auditB)) {
            JsonNode v = EventCodec.mapper().readTree(audit.get("/audit/verify").body());
            assertTrue(v.path("ok").asBoolean(), v.toString());
        }
        int signed = auditB.post("/audit/checkpoints", "").statusCode();
        assertTrue(signed == 201 || signed == 200, "checkpoint: " + signed);
        String pem = auditA.get("/audit/public-key").body();
        AuditExportVerifier.Result export =
                AuditExportVerifier.verify(auditA.get("/audit/export").body(), AuditExportVerifier.publicKey(pem));
        assertTrue(export.ok(), export.problems().toString());
        assertTrue(export.entries() >= accepted.size() * 2L, export.toString());
        assertTrue(export.checkpoints() >= 1);

        log("chain verified on both instances, export verified offline: " + export);
        // The stream opened at the start carried the complaints live.
        int seen = 0;
        while (seen < 5) {
            SseClient.SseEvent e = stream.next(Duration.ofSeconds(30));
            assertTrue(e != null, "the stream ended after " + seen + " complaints");
            if (e.data().contains("\"type\":\"redress.complaint.received\"")) {
                seen++;
            }
        }
        log("the stream carried them");
    }

    /** How many complaint.received entries the log holds per case, read page by page. */
    private static Map<String, Integer> receivedPerCase(ServiceProcess audit) throws IOException, InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        String after = null;
        do {
            HttpResponse<String> r = audit.get("/audit/entries?type=redress.complaint.received&limit=200"
                    + (after == null ? "" : "&after=" + after));
            JsonNode page = EventCodec.mapper().readTree(r.body());
            for (JsonNode e : page.path("items")) {
                counts.merge(e.path("caseId").asText(), 1, Integer::sum);
            }
            after = page.path("next").isNull() ? null : page.path("next").asText(null);
        } while (after != null);
        return counts;
    }

    private static void log(String what) {
        System.out.println(java.time.Instant.now() + " end-to-end: " + what);
    }

    static String complaint() {
        return """
                {"customer":{"id":"E2E-%s","name":"Ada"},"channel":"EMAIL","category":"billing",
                 "summary":"Charged twice","severity":"HIGH"}""".formatted(UUID.randomUUID());
    }
}
