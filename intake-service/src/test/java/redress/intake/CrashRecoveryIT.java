package redress.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.CoachingLexiconChanged;
import redress.events.payload.TaxonomyChanged;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;

/**
 * Invariant 1 against the built application: intake-service runs as its own process
 * ({@code quarkus-run.jar}), is SIGKILLed while clients are submitting and working complaints,
 * and is started again. The kill must land in the middle of work: requests were in flight and
 * were cut off (the test fails otherwise, rather than passing on a quiet moment). A client whose
 * submission was cut off retries it with the same Idempotency-Key until it is answered, as a
 * real client would. Every request that got a 201 must have its case and its events on
 * {@code case.events}: at least once, every copy of an event identical, none missing, and no
 * event of a case ahead of an earlier one; and no submission made two cases.
 */
class CrashRecoveryIT {

    /** The events one case produces as the clients drive it: submit, acknowledge, note. */
    static final List<String> SCRIPT = List.of(
            "redress.complaint.received",
            "redress.interaction.recorded",
            "redress.case.acknowledged",
            "redress.case.status-changed",
            "redress.interaction.recorded");
    /** How many of SCRIPT's events each accepted step guarantees. */
    static final int[] EVENTS_AFTER_STEP = {1, 4, 5};

    final TestInfrastructure infra = TestInfrastructure.get();
    final ServiceProcess app = new ServiceProcess(Api.APP_JAR, infra, "intake_crash", null);

    @AfterEach
    void stopApp() {
        app.close();
    }

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Map<UUID, Integer> acceptedSteps = new ConcurrentHashMap<>();
    /** Each submission's customer (one per submission), by the case it was answered with. */
    final Map<UUID, String> customerOf = new ConcurrentHashMap<>();
    /** System.nanoTime() just before the kill; Long.MAX_VALUE until then. */
    final AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    /** Requests sent before the kill that ended in a connection error: the work the kill cut off. */
    final AtomicInteger cutOffByKill = new AtomicInteger();
    /** Cut-off submissions retried with their key and answered with the case made before the kill. */
    final AtomicInteger replayedAfterCrash = new AtomicInteger();

    final AtomicInteger retriedSubmissions = new AtomicInteger();
    static final String TOKEN = redress.testsupport.TestTokens.bearer("crash-client", "complaint-submitter", "agent");

    @Test
    void killedWhileAcceptingComplaintsLosesNothing() throws Exception {
        app.start("crash-it-first", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        AtomicBoolean running = new AtomicBoolean(true);
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            pool.submit(() -> drive(running));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acceptedSteps.size() >= 150);

        killedAt.set(System.nanoTime());
        app.kill();
        int acceptedBeforeKill = acceptedSteps.size();
        // The process is gone and nothing runs against the database: what the relay had not sent yet.
        long unsentAtKill = unsentOutboxRows();
        app.start("crash-it-restarted", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acceptedSteps.size() >= acceptedBeforeKill + 100);
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));

        // The kill hit work in flight: requests sent before it were cut off mid-way.
        assertTrue(cutOffByKill.get() > 0, "no request was in flight when the service was killed");

        // Every accepted case is there after the crash, and no submission (retries included) made two.
        for (UUID id : acceptedSteps.keySet()) {
            assertEquals(200, app.get("/complaints/" + id).statusCode(), "case " + id + " got a 201 and must exist");
            HttpResponse<String> ofCustomer = app.get("/customers/" + customerOf.get(id) + "/complaints");
            assertEquals(200, ofCustomer.statusCode());
            assertEquals(
                    1,
                    EventCodec.mapper()
                            .readTree(ofCustomer.body())
                            .path("items")
                            .size(),
                    "one submission, one case, for customer " + customerOf.get(id) + ": " + ofCustomer.body());
        }

        KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers());
        Map<UUID, List<KafkaTestClient.Received>> byCase = Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> group(kafka.readAll(Topics.CASE_EVENTS, r -> true)),
                        m -> acceptedSteps.entrySet().stream()
                                .allMatch(e -> distinctEvents(m.get(e.getKey())).size()
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
                assertEquals(
                        1,
                        records.stream()
                                .map(KafkaTestClient.Received::partition)
                                .distinct()
                                .count(),
                        "one case, one partition");
            }
            List<String> types =
                    distinctEvents(records).stream().map(CaseEvent::type).toList();
            assertTrue(types.size() >= EVENTS_AFTER_STEP[e.getValue() - 1], "events missing for " + e.getKey());
            assertEquals(SCRIPT.subList(0, types.size()), types, "events of case " + e.getKey() + " out of order");
        }
        System.out.printf(
                "crash test: %d cases accepted (%d before the kill); at the kill %d requests cut off and "
                        + "%d events not yet sent; %d submissions retried with their key, %d of them answered with the case "
                        + "made before the kill; %d duplicate deliveries%n",
                acceptedSteps.size(),
                acceptedBeforeKill,
                cutOffByKill.get(),
                unsentAtKill,
                retriedSubmissions.get(),
                replayedAfterCrash.get(),
                duplicates);
    }

    private long unsentOutboxRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        app.jdbcUrl(), infra.postgres().user(), infra.postgres().password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sends a request; a connection error of one sent before the kill counts as work the kill cut off. */
    private HttpResponse<String> send(String path, String json, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            r.header("Idempotency-Key", idempotencyKey);
        }
        long sentAt = System.nanoTime();
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (sentAt < killedAt.get()) {
                cutOffByKill.incrementAndGet();
            }
            throw e;
        }
    }

    /**
     * Submits a complaint, retrying with the same Idempotency-Key after a connection error until
     * it is answered; null when the test ends first or the service refuses it.
     */
    private HttpResponse<String> submit(AtomicBoolean running, String json) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        boolean retry = false;
        while (running.get()) {
            try {
                if (retry) {
                    retriedSubmissions.incrementAndGet();
                }
                HttpResponse<String> r = send("/complaints", json, key);
                if (retry && r.headers().firstValue("Idempotent-Replayed").isPresent()) {
                    replayedAfterCrash.incrementAndGet();
                }
                return r;
            } catch (IOException e) {
                retry = true;
                pause(); // the service is down: retry later with the same key
            }
        }
        return null;
    }

    /**
     * One client: submit a case (retried with its key until answered), acknowledge it, add a
     * note; start over with a new complaint when a step fails.
     */
    private void drive(AtomicBoolean running) {
        while (running.get()) {
            try {
                String customer = Api.newCustomer();
                HttpResponse<String> created = submit(running, Api.complaintJson(customer));
                if (created == null) {
                    return;
                }
                if (created.statusCode() != 201) {
                    pause();
                    continue;
                }
                String location = created.headers().firstValue("Location").orElseThrow();
                UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
                customerOf.put(id, customer);
                acceptedSteps.put(id, 1);
                if (send(
                                        "/complaints/" + id + "/interactions",
                                        "{\"kind\":\"ACKNOWLEDGEMENT\",\"text\":\"We have your complaint\"}",
                                        null)
                                .statusCode()
                        != 201) {
                    continue;
                }
                acceptedSteps.put(id, 2);
                if (send(
                                        "/complaints/" + id + "/interactions",
                                        "{\"kind\":\"NOTE\",\"text\":\"Checked the ledger\"}",
                                        null)
                                .statusCode()
                        == 201) {
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
            if (TaxonomyChanged.SUBJECT.equals(r.key()) || CoachingLexiconChanged.SUBJECT.equals(r.key())) {
                continue; // the taxonomy and the coaching lexicon seeded at the first start: no case
            }
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
