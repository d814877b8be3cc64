package redress.localrun.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import redress.events.Topics;
import redress.localrun.LocalRun;

/**
 * The faults, one at a time. Each {@link Fault#apply()} does its fault and returns when the fault's
 * own action has ended (a kill at once; a pause or an outage when it is over), with a note for the
 * table. Restarts after a kill are the runner's watchdog's; the suite ends what it began on purpose
 * (it continues a paused service, starts PostgreSQL again after its outage, releases its lock).
 */
final class Faults {

    /** What a fault did, and what is to be checked of it once the system has settled (problems, or none). */
    record Applied(String note, Supplier<List<String>> afterwards) {
        Applied(String note) {
            this(note, List::of);
        }
    }

    interface Action {
        Applied apply() throws Exception;
    }

    /** One fault of the suite, by its name on the command line. */
    record Fault(String name, String what, Action action) {
        Applied apply() throws Exception {
            return action.apply();
        }
    }

    static final Duration PAUSE = Duration.ofSeconds(70);
    static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(75);
    static final Duration DUPLICATE_WINDOW = Duration.ofSeconds(30);
    static final Duration POOL_HELD = Duration.ofSeconds(45);
    /** Submissions made at once while intake's outbox is locked: more than its pool of 40 connections. */
    static final int BURST = 60;

    private final LocalRun run;
    private final Load load;
    private final Checks checks;

    Faults(LocalRun run, Load load, Checks checks) {
        this.run = run;
        this.load = load;
        this.checks = checks;
    }

    /** Every fault, in the order the full run applies them. */
    List<Fault> all() {
        List<Fault> all = new ArrayList<>();
        for (LocalRun.Service s : LocalRun.SERVICES) {
            all.add(new Fault("kill-" + shortName(s), "kill -9 of " + s.name(), () -> kill(s.name())));
        }
        all.add(new Fault("kill-broker", "kill -9 of the broker's JVM", () -> kill(LocalRun.KAFKA)));
        all.add(new Fault(
                "kill-postgres", "kill -9 of PostgreSQL (the postmaster and every backend)", this::killPostgres));
        all.add(new Fault(
                "postgres-down", "PostgreSQL down " + POSTGRES_OUTAGE.toSeconds() + " s", this::postgresDown));
        for (LocalRun.Service s : LocalRun.SERVICES) {
            all.add(new Fault(
                    "pause-" + shortName(s),
                    s.name() + " paused " + PAUSE.toSeconds() + " s (SIGSTOP, SIGCONT)",
                    () -> pause(s.name())));
        }
        all.add(new Fault(
                "duplicates",
                "every event of " + DUPLICATE_WINDOW.toSeconds() + " s delivered twice",
                this::duplicates));
        all.add(new Fault("poison", "a poison record on each consumed topic", this::poison));
        all.add(new Fault(
                "pool-intake",
                "intake-service's connection pool exhausted for " + POOL_HELD.toSeconds() + " s",
                this::poolExhausted));
        return all;
    }

    static String shortName(LocalRun.Service s) {
        return s.name().replace("-service", "");
    }

    private Applied kill(String component) throws IOException, InterruptedException {
        ProcessHandle h =
                run.process(component).orElseThrow(() -> new IllegalStateException(component + " is not running"));
        signal("KILL", h.pid());
        return new Applied("pid " + h.pid() + " killed; the runner's watchdog restarts it");
    }

    private Applied killPostgres() throws IOException, InterruptedException {
        ProcessHandle postmaster = run.process(LocalRun.POSTGRES)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not running"));
        List<ProcessHandle> backends = postmaster.descendants().toList();
        signal("KILL", postmaster.pid());
        for (ProcessHandle b : backends) {
            if (b.isAlive()) {
                signal("KILL", b.pid());
            }
        }
        return new Applied("postmaster " + postmaster.pid() + " and " + backends.size()
                + " backends killed; the watchdog starts it again after three failed checks");
    }

    private Applied postgresDown() throws IOException, InterruptedException {
        run.leaveAlone(LocalRun.POSTGRES, true);
        try {
            run.stopPostgres();
            Thread.sleep(POSTGRES_OUTAGE.toMillis());
            run.startPostgres();
        } finally {
            run.leaveAlone(LocalRun.POSTGRES, false);
        }
        return new Applied("stopped (fast shutdown) and started again on its data by the suite after "
                + POSTGRES_OUTAGE.toSeconds() + " s; the watchdog was told to leave it alone meanwhile");
    }

    private Applied pause(String service) throws IOException, InterruptedException {
        ProcessHandle h =
                run.process(service).orElseThrow(() -> new IllegalStateException(service + " is not running"));
        run.leaveAlone(service, true);
        try {
            signal("STOP", h.pid());
            Thread.sleep(PAUSE.toMillis());
            signal("CONT", h.pid());
        } finally {
            run.leaveAlone(service, false);
        }
        return new Applied(
                "continued by the suite; the watchdog left it alone while paused (it would have restarted it)");
    }

    /**
     * Every record the three case topics received during {@link #DUPLICATE_WINDOW} is produced again,
     * byte for byte (key, value, headers), to its partition: each event is then delivered twice.
     */
    private Applied duplicates() throws InterruptedException {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                run.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "faults-duplicates-" + UUID.randomUUID());
        Map<String, Integer> copied = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : Topics.CASE_TOPICS) {
                consumer.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            }
            Map<TopicPartition, Long> from = consumer.endOffsets(parts);
            Thread.sleep(DUPLICATE_WINDOW.toMillis());
            Map<TopicPartition, Long> to = consumer.endOffsets(parts);
            consumer.assign(parts);
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < to.get(new TopicPartition(r.topic(), r.partition()))) {
                        producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers()));
                        copied.merge(r.topic(), 1, Integer::sum);
                    }
                }
            }
            producer.flush();
        }
        return new Applied("produced again: " + copied);
    }

    /** A record that is not JSON, keyed like a case, on each topic a service consumes; each must reach its dead-letter topic. */
    private Applied poison() {
        Map<String, String> keys = new LinkedHashMap<>();
        List<String> topics = new ArrayList<>(Topics.CASE_TOPICS);
        topics.add(Topics.AUDIT_ACCESS);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String t : topics) {
                String key = "poison-" + UUID.randomUUID();
                keys.put(t, key);
                producer.send(new ProducerRecord<>(
                        t, key.getBytes(), "{\"specversion\":\"1.0\", this is not JSON".getBytes()));
            }
            producer.flush();
        }
        return new Applied("one record that is not JSON on " + String.join(", ", topics), () -> {
            List<String> problems = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                checks.readTopics();
                problems.clear();
                keys.forEach((t, k) -> {
                    if (checks.deadLettered(t, k) == 0) {
                        problems.add("the poison record on " + t + " is not on " + Topics.dlq(t));
                    }
                });
                if (problems.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                sleep(2_000);
            }
            List<String> found = new ArrayList<>();
            keys.forEach((t, k) -> found.add(Topics.dlq(t) + " x" + checks.deadLettered(t, k)));
            problems.add(0, "dead letters: " + String.join(", ", found));
            return problems;
        });
    }

    /**
     * intake-service's pool (40 connections) exhausted for real: a session of the suite holds an
     * ACCESS EXCLUSIVE lock on intake's {@code outbox} (as a long migration or a stuck maintenance
     * job would), so every request that writes waits holding its connection, and a burst of
     * {@link #BURST} submissions beside the steady load takes them all; what comes next waits for a
     * connection until the pool's acquisition timeout.
     */
    private Applied poolExhausted() throws SQLException, InterruptedException {
        String metrics;
        try (Connection c = run.postgres().connect("intake");
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE");
            load.burst(BURST);
            Thread.sleep(POOL_HELD.toMillis() / 2);
            metrics = poolMetrics();
            Thread.sleep(POOL_HELD.toMillis() / 2);
            c.rollback();
        }
        return new Applied("outbox locked, " + BURST + " submissions at once; half-way: " + metrics);
    }

    /** intake-service's pool gauges from {@code /q/metrics}, as far as it answers. */
    private static String poolMetrics() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + LocalRun.SERVICES.get(0).port() + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            List<String> gauges = r.body()
                    .lines()
                    .filter(l -> l.startsWith("agroal_active_count")
                            || l.startsWith("agroal_awaiting_count")
                            || l.startsWith("agroal_max_used_count"))
                    .map(l -> l.replaceAll("\\{[^}]*}", ""))
                    .toList();
            return gauges.isEmpty() ? "no pool gauges in /q/metrics" : String.join(", ", gauges);
        } catch (IOException e) {
            return "/q/metrics did not answer (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** {@code kill -<signal> <pid>}. */
    static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                .redirectErrorStream(true)
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + ": "
                    + new String(p.getInputStream().readAllBytes()).trim());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
