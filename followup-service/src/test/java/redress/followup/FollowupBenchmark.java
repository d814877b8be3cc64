package redress.followup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.PromiseMade;
import redress.events.payload.PromiseMissed;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;

/**
 * The waker, measured on the built service (docs/performance.md):
 * <ol>
 * <li>lateness (event time of {@code promise.missed} minus the promise's due time), p50 and p99,
 * at a steady 100 promises coming due per second, with the default 1 s poll interval;</li>
 * <li>a burst of 100,000 promises due at once (rows written straight into its table, as after an
 * outage), fired per second, as a ratio to the same service firing one row per transaction (the
 * plain per-task rate of a scheduler that runs each task on its own), in the same run.</li>
 * </ol>
 * Not a test: its name keeps it out of Surefire and Failsafe unless asked for by name.
 */
class FollowupBenchmark {

    static final Path JAR = Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));
    static final int STEADY_SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int BURST = Integer.getInteger("bench.burst", 100_000);
    static final int REFERENCE = Integer.getInteger("bench.reference", 10_000);

    final TestInfrastructure infra = TestInfrastructure.get();

    @Test
    void latenessAndBurstDrainRate() throws Exception {
        StringBuilder out = new StringBuilder();
        try (ServiceProcess app = new ServiceProcess(JAR, infra, "followup_bench", null)) {
            app.start("benchmark-followup");
            double[] lateness = steady(app);
            out.append(String.format(
                    "steady %d due/s for %d s: lateness p50 %.0f ms, p99 %.0f ms, max %.0f ms (poll interval 1 s)%n",
                    100, STEADY_SECONDS, lateness[0], lateness[1], lateness[2]));
            double batched = burst(app, BURST);
            out.append(String.format("burst of %d due at once: %.0f fired/s (batches of 500)%n", BURST, batched));
        }
        try (ServiceProcess perTask = new ServiceProcess(JAR, infra, "followup_bench_pertask", null)
                .env("REDRESS_FOLLOWUP_WAKER_BATCH_SIZE", "1")) {
            perTask.start("benchmark-followup-pertask");
            double reference = burst(perTask, REFERENCE);
            out.append(String.format(
                    "reference, one row per transaction, %d due at once: %.0f fired/s%n", REFERENCE, reference));
            String batchedLine = out.toString()
                    .lines()
                    .filter(l -> l.startsWith("burst"))
                    .findFirst()
                    .orElseThrow();
            double batched = Double.parseDouble(batchedLine.replaceAll(".*: (\\d+) fired/s.*", "$1"));
            out.append(String.format("ratio batched / per-task: %.1f%n", batched / reference));
        }
        String text = out.toString();
        System.out.println(text);
        Files.writeString(Path.of("target", "benchmark-followup.txt"), text);
    }

    /** Promises due at 100 per second, sent well ahead; returns lateness p50, p99, max in ms. */
    double[] steady(ServiceProcess app) throws Exception {
        KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers());
        Instant start = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
        int n = 100 * STEADY_SECONDS;
        Set<UUID> ids = new HashSet<>();
        List<CaseEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            events.add(CaseEvent.create(
                    "/intake-service",
                    new Actor(ActorType.AGENT, "bench"),
                    "C-1",
                    new PromiseMade(
                            UUID.randomUUID(),
                            "CMP-2026-000001",
                            id,
                            UUID.randomUUID(),
                            "call back",
                            start.plusMillis(i * 10L)),
                    null,
                    null));
        }
        kafka.sendAll(Topics.CASE_EVENTS, events);
        // Lateness is the waker's, not the consumer's: every promise is recorded before the first is due.
        try (Connection c = DriverManager.getConnection(
                        app.jdbcUrl(), infra.postgres().user(), infra.postgres().password());
                Statement s = c.createStatement()) {
            while (count(s, "SELECT count(*) FROM promise WHERE reference = 'CMP-2026-000001' AND state = 'PENDING'")
                    < n) {
                if (Instant.now().isAfter(start)) {
                    throw new IllegalStateException("the promises were not all recorded before the first was due");
                }
                Thread.sleep(200);
            }
        }
        long deadline =
                System.nanoTime() + Duration.ofSeconds(STEADY_SECONDS + 120).toNanos();
        List<Long> late;
        do {
            Thread.sleep(2000);
            late = kafka.readAll(Topics.CASE_FOLLOWUPS, r -> r.value().contains("redress.promise.missed")).stream()
                    .map(KafkaTestClient.Received::event)
                    .filter(e ->
                            ids.contains(((PromiseMissed) EventCodec.payload(e).orElseThrow()).promiseId()))
                    .map(e -> Duration.between(
                                    ((PromiseMissed) EventCodec.payload(e).orElseThrow()).dueAt(), e.time())
                            .toMillis())
                    .sorted()
                    .toList();
        } while (late.size() < n && System.nanoTime() < deadline);
        if (late.size() < n) {
            throw new IllegalStateException("only " + late.size() + " of " + n + " promises fired");
        }
        return new double[] {late.get(n / 2), late.get((int) Math.ceil(0.99 * n) - 1), late.get(n - 1)};
    }

    /** Writes {@code n} promises due a second ago straight into the table; returns rows fired per second. */
    double burst(ServiceProcess app, int n) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        app.jdbcUrl(), infra.postgres().user(), infra.postgres().password());
                Statement s = c.createStatement()) {
            long before = count(s, "SELECT count(*) FROM promise WHERE state = 'MISSED'");
            s.executeUpdate("INSERT INTO promise (id, case_id, reference, text, due_at, state, next_at, version) "
                    + "SELECT gen_random_uuid(), gen_random_uuid(), 'CMP-2026-000001', 'call back', now() - interval '1 second', "
                    + "'PENDING', now() - interval '1 second', 0 FROM generate_series(1, " + n + ")");
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofMinutes(20).toNanos();
            while (count(s, "SELECT count(*) FROM promise WHERE state = 'MISSED'") - before < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("burst not drained in 20 minutes");
                }
                Thread.sleep(100);
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
