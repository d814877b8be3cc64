package redress.localrun.faults;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.Topics;
import redress.localrun.scenario.ApiClient;
import redress.localrun.scenario.DifficultCustomer.Endpoints;

/**
 * The fault suite's steady load, and its own record of what was accepted. Complaints are submitted at
 * a fixed rate (every fifth CRITICAL, every third on the {@code DEMO} profile, whose deadlines are
 * seconds), each with an {@code Idempotency-Key}; every accepted one then gets, a second apart, an
 * acknowledgement, an outbound call and either a resolution (every {@code DEMO} case and every
 * second other one) or a note. A supervisor acknowledges every escalation of the load's cases as soon
 * as it appears on {@code case.escalations}. Nothing is retried: a request that fails is counted as
 * refused, and one whose answer never came (a timeout) as unknown, since it may have taken effect.
 */
final class Load implements AutoCloseable {

    /** One accepted complaint and what the load did to it; the times are when the 2xx answer arrived. */
    static final class Complaint {
        final String id;
        final String severity;
        final String profile;
        final Instant acceptedAt;
        volatile int interactionsAccepted;
        volatile int interactionsUnknown;
        volatile Instant acknowledgedAt;
        volatile Instant outboundAt;
        volatile Instant resolvedAt;
        volatile boolean resolutionUnknown;
        /** The script's last step has been tried (accepted, refused or unknown). */
        volatile boolean done;
        /** Escalation id to the time its acknowledgement was answered 200. */
        final Map<String, Instant> escalationsAcknowledged = new ConcurrentHashMap<>();

        Complaint(String id, String severity, String profile, Instant acceptedAt) {
            this.id = id;
            this.severity = severity;
            this.profile = profile;
            this.acceptedAt = acceptedAt;
        }
    }

    /** Requests made, refused (an error answer or no connection) and unknown (no answer in time), so far. */
    record Counts(long requests, long refused, long unknown) {
        Counts minus(Counts earlier) {
            return new Counts(requests - earlier.requests, refused - earlier.refused, unknown - earlier.unknown);
        }
    }

    private static final String[] SEVERITIES = {"LOW", "MEDIUM", "HIGH", "CRITICAL", "MEDIUM"};

    private final Endpoints urls;
    private final ApiClient api;
    private final String bootstrapServers;
    private final double perSecond;
    private final Map<String, Complaint> complaints = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    private final ExecutorService workers = Executors.newFixedThreadPool(16);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final Map<String, String> lastRefusals = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread escalationWatcher;

    Load(Endpoints urls, Map<String, String> tokens, String bootstrapServers, double perSecond) {
        this.urls = urls;
        this.api = new ApiClient(tokens, Duration.ofSeconds(10));
        this.bootstrapServers = bootstrapServers;
        this.perSecond = perSecond;
    }

    void start() {
        running = true;
        CountDownLatch watching = new CountDownLatch(1);
        escalationWatcher = new Thread(() -> watchEscalations(watching), "faults-escalations");
        escalationWatcher.setDaemon(true);
        escalationWatcher.start();
        try {
            watching.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long every = Math.round(1_000_000 / perSecond);
        clock.scheduleAtFixedRate(
                () -> {
                    if (running) {
                        workers.submit(this::submitOne);
                    }
                },
                0,
                every,
                TimeUnit.MICROSECONDS);
    }

    /** Stops submitting and waits (up to a minute) for the scripts of accepted complaints to finish. */
    void stop() throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && complaints.values().stream().anyMatch(c -> !c.done)) {
            Thread.sleep(500);
        }
    }

    @Override
    public void close() {
        running = false;
        clock.shutdownNow();
        workers.shutdownNow();
        if (escalationWatcher != null) {
            escalationWatcher.interrupt();
        }
    }

    Collection<Complaint> complaints() {
        return complaints.values();
    }

    Counts counts() {
        return new Counts(requests.get(), refused.get(), unknown.get());
    }

    /** The last refusal seen per kind of request (for the notes): the status or the error. */
    Map<String, String> lastRefusals() {
        return Map.copyOf(lastRefusals);
    }

    /** Submits {@code n} complaints at once, beside the steady load (a burst, to fill a connection pool). */
    void burst(int n) {
        for (int i = 0; i < n; i++) {
            workers.submit(this::submitOne);
        }
    }

    /**
     * Submits one complaint outside the steady load and waits for the answer: the accepted complaint, or
     * null when it was refused (the suite's probe of recovery).
     */
    Complaint submitNow() {
        return submit(sequence.incrementAndGet(), false);
    }

    private void submitOne() {
        submit(sequence.incrementAndGet(), true);
    }

    private Complaint submit(long n, boolean script) {
        String severity = SEVERITIES[(int) (n % SEVERITIES.length)];
        String profile = n % 3 == 0 ? "DEMO" : "DEFAULT";
        String customer = "F-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Map.of(
                "customer",
                Map.of("id", customer, "name", "Fault Suite " + n, "email", customer.toLowerCase() + "@example.org"),
                "channel",
                "WEB",
                "category",
                n % 2 == 0 ? "billing" : "service",
                "product",
                "current account",
                "summary",
                "Load complaint " + n + " of the fault suite",
                "severity",
                severity,
                "regulatoryProfile",
                profile);
        JsonNode created = call(
                "complaint",
                () -> api.post(
                        urls.intake(), "/complaints", "complaint-submitter", body, "faults-" + UUID.randomUUID()),
                201);
        if (created == null || created.path("id").asText("").isEmpty()) {
            return null;
        }
        Complaint c = new Complaint(created.path("id").asText(), severity, profile, Instant.now());
        complaints.put(c.id, c);
        if (!script) {
            c.done = true;
            return c;
        }
        clock.schedule(() -> workers.submit(() -> acknowledge(c)), 1, TimeUnit.SECONDS);
        clock.schedule(() -> workers.submit(() -> callBack(c)), 2, TimeUnit.SECONDS);
        clock.schedule(() -> workers.submit(() -> finish(c, n)), 3, TimeUnit.SECONDS);
        return c;
    }

    private void acknowledge(Complaint c) {
        Outcome o = interaction(
                c, Map.of("kind", "ACKNOWLEDGEMENT", "text", "We have your complaint and are looking into it"));
        if (o == Outcome.ACCEPTED) {
            c.acknowledgedAt = Instant.now();
        }
    }

    private void callBack(Complaint c) {
        Outcome o = interaction(
                c,
                Map.of(
                        "kind",
                        "CUSTOMER_CONTACT",
                        "direction",
                        "OUTBOUND",
                        "channel",
                        "PHONE",
                        "tone",
                        "CALM",
                        "text",
                        "Called the customer back to explain what happens next"));
        if (o == Outcome.ACCEPTED) {
            c.outboundAt = Instant.now();
        }
    }

    private void finish(Complaint c, long n) {
        try {
            if ("DEMO".equals(c.profile) || n % 2 == 0) {
                Outcome[] outcome = {Outcome.REFUSED};
                JsonNode r = call(
                        "resolution",
                        () -> api.post(
                                urls.intake(),
                                "/complaints/" + c.id + "/resolution",
                                "agent",
                                Map.of(
                                        "summary",
                                        "Explained and put right",
                                        "outcome",
                                        "PARTLY_UPHELD",
                                        "rootCause",
                                        "SERVICE_DELAY",
                                        "productGroup",
                                        "CURRENT_ACCOUNT"),
                                null),
                        200,
                        outcome);
                if (r != null) {
                    c.resolvedAt = Instant.now();
                } else if (outcome[0] == Outcome.UNKNOWN) {
                    c.resolutionUnknown = true;
                }
            } else {
                interaction(c, Map.of("kind", "NOTE", "text", "Checked the account history"));
            }
        } finally {
            c.done = true;
        }
    }

    private enum Outcome {
        ACCEPTED,
        REFUSED,
        UNKNOWN
    }

    private Outcome interaction(Complaint c, Map<String, Object> body) {
        Outcome[] outcome = {Outcome.REFUSED};
        JsonNode r = call(
                "interaction",
                () -> api.post(urls.intake(), "/complaints/" + c.id + "/interactions", "agent", body, null),
                201,
                outcome);
        if (r != null) {
            c.interactionsAccepted++;
            return Outcome.ACCEPTED;
        }
        if (outcome[0] == Outcome.UNKNOWN) {
            c.interactionsUnknown++;
        }
        return outcome[0];
    }

    private interface Request {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    private JsonNode call(String what, Request request, int expected) {
        return call(what, request, expected, new Outcome[1]);
    }

    /** Makes one request and counts it; the answer's JSON on {@code expected}, else null with the outcome set. */
    private JsonNode call(String what, Request request, int expected, Outcome[] outcome) {
        requests.incrementAndGet();
        try {
            HttpResponse<String> r = request.send();
            if (r.statusCode() == expected) {
                outcome[0] = Outcome.ACCEPTED;
                return r.body().isEmpty() ? ApiClient.JSON.createObjectNode() : ApiClient.JSON.readTree(r.body());
            }
            refused.incrementAndGet();
            outcome[0] = Outcome.REFUSED;
            lastRefusals.put(what, r.statusCode() + " " + abbreviate(r.body()));
        } catch (HttpTimeoutException e) {
            // Sent, but no answer: it may still have taken effect.
            unknown.incrementAndGet();
            refused.incrementAndGet();
            outcome[0] = Outcome.UNKNOWN;
            lastRefusals.put(what, "no answer within 10 s");
        } catch (IOException e) {
            refused.incrementAndGet();
            outcome[0] = Outcome.REFUSED;
            lastRefusals.put(what, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome[0] = Outcome.REFUSED;
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /**
     * A supervisor's eye on {@code case.escalations}: every {@code escalation.raised} of one of the
     * load's cases is acknowledged a second later (tried again every 2 s for up to 30 s while refused),
     * as a supervisor who watches the queue would, so that its response deadline is met.
     */
    private void watchEscalations(CountDownLatch watching) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-supervisor-" + UUID.randomUUID());
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.CASE_ESCALATIONS)
                    .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            watching.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    raised(r.value());
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // stopped
        }
    }

    private void raised(String value) {
        JsonNode event;
        try {
            event = ApiClient.JSON.readTree(value);
        } catch (IOException | RuntimeException e) {
            return; // a poison record, not an escalation
        }
        if (event == null
                || !"redress.escalation.raised".equals(event.path("type").asText())) {
            return;
        }
        Complaint c = complaints.get(event.path("subject").asText());
        String escalationId = event.path("data").path("escalationId").asText();
        if (c == null || escalationId.isEmpty() || c.escalationsAcknowledged.containsKey(escalationId)) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        clock.schedule(() -> workers.submit(() -> acknowledgeEscalation(c, escalationId, until)), 1, TimeUnit.SECONDS);
    }

    private void acknowledgeEscalation(Complaint c, String escalationId, long until) {
        if (c.escalationsAcknowledged.containsKey(escalationId)) {
            return;
        }
        JsonNode r = call(
                "escalation acknowledgement",
                () -> api.post(
                        urls.escalation(), "/escalations/" + escalationId + "/acknowledge", "supervisor", null, null),
                200);
        if (r != null) {
            c.escalationsAcknowledged.put(escalationId, Instant.now());
        } else if (System.nanoTime() < until && running) {
            clock.schedule(
                    () -> workers.submit(() -> acknowledgeEscalation(c, escalationId, until)), 2, TimeUnit.SECONDS);
        }
    }
}
