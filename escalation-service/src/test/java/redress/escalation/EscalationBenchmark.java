package redress.escalation;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.events.payload.InteractionRecorded;
import redress.testsupport.SecurityChecks;
import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;
import redress.testsupport.TestTokens;

/**
 * escalation-service measured as built ({@code quarkus-run.jar}, a process of its own), with the
 * default rules (docs/performance.md):
 * <ol>
 * <li>events evaluated per second through the consumer: {@code bench.events} realistic case events
 * (a {@code complaint.received} then nine interactions of varied kinds and tones per case, cases of
 * a smaller pool of customers so some are repeat complainants) produced onto {@code case.events}
 * and drained, as a ratio to audit-service (its built jar, the log's append path) draining the
 * same records, each alone on the machine, in the same run. Both are measured warm, as they run
 * in service: each first drains {@code bench.warmupEvents} right after its start-up (that rate is
 * reported too), waits until its JIT is done and is frozen; then in each of {@code bench.rounds}
 * rounds the events are produced and each consumer in turn, audit-service first, is resumed alone
 * on a quiet machine, drains them and is frozen again; the ratio reported is the median of the
 * rounds';</li>
 * <li>the time from {@code POST /complaints} of a CRITICAL complaint on intake-service (its built
 * jar) to the escalation being readable in the SUPERVISOR queue at {@code GET /escalations}, p50 and p99 at
 * {@code bench.rate} complaints/s for {@code bench.seconds}, as a ratio to the POST's own latency
 * in the same run.</li>
 * </ol>
 * Not a test: its name keeps it out of Surefire and Failsafe unless asked for by name. The other
 * two jars must have been built (see docs/performance.md for the command).
 */
class EscalationBenchmark {

    static final Path APP_JAR = Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));
    static final Path AUDIT_JAR =
            Path.of(System.getProperty("redress.audit.jar", "../audit-service/target/quarkus-app/quarkus-run.jar"));
    static final Path INTAKE_JAR =
            Path.of(System.getProperty("redress.intake.jar", "../intake-service/target/quarkus-app/quarkus-run.jar"));

    static final int EVENTS_PER_CASE = 10;
    static final int EVENTS = Integer.getInteger("bench.events", 50_000) / EVENTS_PER_CASE * EVENTS_PER_CASE;
    /**
     * Events each consumer drains before the measured ones, so that both are measured past their
     * JIT warm-up (a service drains its backlog within seconds of starting).
     */
    static final int WARMUP_EVENTS =
            Integer.getInteger("bench.warmupEvents", 50_000) / EVENTS_PER_CASE * EVENTS_PER_CASE;
    /** Rounds of {@code bench.events} measured events; the ratio reported is their median. */
    static final int ROUNDS = Math.max(1, Integer.getInteger("bench.rounds", 5));

    static final int RATE = Integer.getInteger("bench.rate", 50);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 5);
    static final int POLL_MS = Integer.getInteger("bench.poll", 10);

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    final TestInfrastructure infra = TestInfrastructure.get();

    @Test
    void evaluationRateAndCriticalComplaintLatency() throws Exception {
        for (Path jar : List.of(APP_JAR, AUDIT_JAR, INTAKE_JAR)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is not built: build intake-service, audit-service and "
                        + "escalation-service first (docs/performance.md)");
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "escalation benchmark, %s, %d cores%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors()));

        // (a) The same records, drained by each consumer alone on the machine, each past its JIT warm-up.
        int cases = EVENTS / EVENTS_PER_CASE;
        long warmupNanos = produce(WARMUP_EVENTS / EVENTS_PER_CASE);
        out.append(String.format(
                "(a) %,d warm-up events produced onto %s in %.1f s; each consumer, started alone, drains "
                        + "them, waits until its process is idle (its JIT's queue done) and is frozen (SIGSTOP); then, in each of %d rounds, "
                        + "%,d measured events (%,d cases of %d) are produced and each consumer in turn, audit-service first, is resumed "
                        + "alone on a quiet machine, just checkpointed, to drain them, and frozen again%n",
                WARMUP_EVENTS, Topics.CASE_EVENTS, warmupNanos / 1e9, ROUNDS, EVENTS, cases, EVENTS_PER_CASE));

        Path key = Files.createTempDirectory(Path.of("target"), "bench-audit-key")
                .toAbsolutePath()
                .resolve("audit-signing-key.pem");
        try (ServiceProcess audit = new ServiceProcess(AUDIT_JAR, infra, "escalation_bench_audit", "audit_writer");
                ServiceProcess escalation = new ServiceProcess(APP_JAR, infra, "escalation_bench", null)) {
            audit.env("REDRESS_AUDIT_SIGNING_KEY_FILE", key.toString())
                    .env("REDRESS_AUDIT_SIGNING_GENERATE_IF_MISSING", "true");
            Progress auditProgress = new Progress(
                    audit,
                    "audit_entry",
                    "event_type IN ('redress.complaint.received', 'redress.interaction.recorded')");
            Progress escalationProgress = new Progress(escalation, "case_history", "topic = 'case.events'");

            // -Dbench.auditJvmOptions="..." passes JVM options to the reference (its consumer settings, for instance).
            audit.start("benchmark-escalation-audit", jvmOptions("bench.auditJvmOptions"));
            out.append(warmUp("audit-service", audit, auditProgress));
            // -Dbench.jvmOptions="-XX:StartFlightRecording=..." profiles the service.
            escalation.start("benchmark-escalation", jvmOptions("bench.jvmOptions"));
            out.append(warmUp("escalation-service", escalation, escalationProgress));

            // Rounds, each consumer alone in turn on the same records. audit-service goes first every
            // time, having appended beforehand, unmeasured, the escalation.raised that escalation-service
            // emitted in the round before: so it drains exactly the produced events, as escalation-service
            // does. Going second is the harder turn (the database may still be at work on the first one's
            // writes), so escalation-service is given it; before each turn the machine is let go quiet and
            // the database checkpointed, to leave as little of the first turn to the second as can be.
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                audit.resume();
                long pending = auditProgress.settle();
                idle(audit);
                audit.freeze();
                long produceNanos = produce(cases);

                quiet();
                long start = auditProgress.sequence();
                audit.resume();
                Drain appended = auditProgress.drain(start, EVENTS);
                idle(audit);
                audit.freeze();

                quiet();
                start = escalationProgress.sequence();
                escalation.resume();
                Drain evaluated = escalationProgress.drain(start, EVENTS);
                idle(escalation);
                escalation.freeze();

                ratios.add(evaluated.perSecond() / appended.perSecond());
                out.append(String.format(
                        "    round %d (%,d events produced in %.1f s; %,d escalations appended by audit-service "
                                + "before): audit-service %,.0f entries/s appended (%,d in %.1f s; %s), escalation-service %,.0f events/s "
                                + "evaluated (%,d in %.1f s; %s): ratio %.2f%n",
                        round,
                        EVENTS,
                        produceNanos / 1e9,
                        pending,
                        appended.perSecond(),
                        appended.count(),
                        appended.seconds(),
                        appended.cpu(),
                        evaluated.perSecond(),
                        evaluated.count(),
                        evaluated.seconds(),
                        evaluated.cpu(),
                        ratios.get(ratios.size() - 1)));
            }
            audit.close();
            escalation.resume();
            long raised = count(escalation, "SELECT count(*) FROM escalation");
            long rules = count(
                    escalation,
                    "SELECT count(*) FROM rule r JOIN rule_version v ON v.rule_id = r.id "
                            + "AND v.version = r.current_version WHERE NOT r.deleted AND v.enabled");
            List<Double> sorted = ratios.stream().sorted().toList();
            out.append(String.format(
                    "    ratio escalation / audit, median of %d rounds: %.2f (lowest %.2f, highest %.2f); "
                            + "%d live rules, %,d escalations raised%n",
                    ROUNDS, median(sorted), sorted.get(0), sorted.get(sorted.size() - 1), rules, raised));

            // (b) CRITICAL complaints through intake to the escalation queue.
            try (ServiceProcess intake = new ServiceProcess(INTAKE_JAR, infra, "escalation_bench_intake", null)) {
                // Intake reads case.escalations from its end: the escalations of (a)'s synthetic cases, which
                // intake never received, would otherwise each be retried and dead-lettered during (b).
                intake.start(
                        "benchmark-escalation-intake",
                        "-Dmp.messaging.incoming.case-escalations-in.auto.offset.reset=latest");
                long before = count(escalation, "SELECT count(*) FROM case_history");
                long t0 = System.nanoTime();
                out.append(criticalLatency(intake, escalation));
                long after = count(escalation, "SELECT count(*) FROM case_history");
                out.append(String.format(
                        "    escalation-service consumed %,d events during (b) (%.0f/s over %.1f s: "
                                + "what intake emitted for these complaints)%n",
                        after - before,
                        (after - before) / ((System.nanoTime() - t0) / 1e9),
                        (System.nanoTime() - t0) / 1e9));
            }
        }
        String text = out.toString();
        System.out.println(text);
        Files.writeString(Path.of("target", "benchmark-escalation.txt"), text);
    }

    /** The middle of sorted values (the mean of the two middle ones for an even count). */
    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The JVM options of a service: the property's, after a session timeout long enough that a
     * consumer frozen between its turns is not taken out of its group (a rebalance in the middle
     * of the next drain would stall it).
     */
    static String[] jvmOptions(String property) {
        List<String> options =
                new ArrayList<>(List.of("-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=600000"));
        String more = System.getProperty(property, "").trim();
        if (!more.isEmpty()) {
            options.addAll(List.of(more.split("\\s+")));
        }
        return options.toArray(String[]::new);
    }

    // ---------------------------------------------------------------- (a)

    /** Produces {@code cases} cases of ten events, interleaved across cases as they would arrive. */
    long produce(int cases) throws Exception {
        Random random = new Random(17);
        int customers = Math.max(1, cases / 3);
        UUID[] ids = new UUID[cases];
        String[] customerOf = new String[cases];
        for (int i = 0; i < cases; i++) {
            ids[i] = UUID.randomUUID();
            customerOf[i] = "C-bench-" + random.nextInt(customers);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        // Not idempotent: against the broker this JVM has just started, the idempotent producer's first
        // retry could end in OUT_OF_ORDER_SEQUENCE_NUMBER forever. One request in flight keeps each
        // case's order; a duplicate after a retry is counted once by both consumers (their ledgers).
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            AtomicReference<Exception> failed = new AtomicReference<>();
            for (int round = 0; round < EVENTS_PER_CASE; round++) {
                for (int i = 0; i < cases; i++) {
                    CaseEvent e = round == 0
                            ? received(ids[i], i, customerOf[i], random)
                            : interaction(ids[i], i, customerOf[i], random);
                    ProducerRecord<String, String> r =
                            new ProducerRecord<>(Topics.CASE_EVENTS, e.subject(), EventCodec.encode(e));
                    r.headers().add("content-type", EventCodec.CONTENT_TYPE.getBytes());
                    producer.send(r, (m, ex) -> {
                        if (ex != null) {
                            failed.set(ex);
                        }
                    });
                }
            }
            producer.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("producing the benchmark events failed", failed.get());
            }
        }
        return System.nanoTime() - t0;
    }

    static final String[] CATEGORIES = {"billing", "fees", "service", "fraud", "account access", "delivery"};
    static final String[] PRODUCTS = {"card", "current account", "mortgage", "loan", "savings"};

    static String reference(int i) {
        return String.format("CMP-2026-%06d", i + 1);
    }

    static CaseEvent event(String customer, redress.events.payload.CasePayload payload) {
        return CaseEvent.create(
                "/intake-service",
                new Actor(ActorType.AGENT, "agent-" + (customer.hashCode() & 7)),
                customer,
                payload,
                null,
                null);
    }

    static CaseEvent received(UUID caseId, int i, String customer, Random random) {
        int s = random.nextInt(100);
        Severity severity =
                s < 2 ? Severity.CRITICAL : s < 22 ? Severity.HIGH : s < 70 ? Severity.MEDIUM : Severity.LOW;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return event(
                customer,
                ComplaintReceived.builder()
                        .caseId(caseId)
                        .reference(reference(i))
                        .customer(new Customer(
                                customer, "Customer " + customer, customer + "@example.org", "+44 20 7946 0000"))
                        .channel(Channel.values()[random.nextInt(Channel.values().length)])
                        .category(CATEGORIES[random.nextInt(CATEGORIES.length)])
                        .product(PRODUCTS[random.nextInt(PRODUCTS.length)])
                        .summary("Charged twice for one order on the 3rd")
                        .description("Two debits for one purchase; the second has not been refunded after a week.")
                        .severity(severity)
                        .level(EscalationLevel.AGENT)
                        .status(CaseStatus.OPEN)
                        .regulatoryProfile("UK_FCA_DISP")
                        .receivedAt(now)
                        .registeredAt(now)
                        .build());
    }

    /** An interaction of a kind drawn as they occur: mostly contacts and notes, few warnings or demands. */
    static CaseEvent interaction(UUID caseId, int i, String customer, Random random) {
        int k = random.nextInt(100);
        InteractionKind kind = k < 40
                ? InteractionKind.CUSTOMER_CONTACT
                : k < 55
                        ? InteractionKind.NOTE
                        : k < 60
                                ? InteractionKind.ACKNOWLEDGEMENT
                                : k < 65
                                        ? InteractionKind.APOLOGY
                                        : k < 75
                                                ? InteractionKind.SOLUTION_OFFERED
                                                : k < 79
                                                        ? InteractionKind.SOLUTION_ACCEPTED
                                                        : k < 87
                                                                ? InteractionKind.SOLUTION_REJECTED
                                                                : k < 91
                                                                        ? InteractionKind.EXPECTATION_SET
                                                                        : k < 94
                                                                                ? InteractionKind.BOUNDARY_WARNING
                                                                                : k < 96
                                                                                        ? InteractionKind
                                                                                                .CONVERSATION_ENDED
                                                                                        : k < 98
                                                                                                ? InteractionKind
                                                                                                        .ASSISTANCE_REQUESTED
                                                                                                : InteractionKind
                                                                                                        .MANAGER_REQUESTED;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CustomerTone tone = null;
        Direction direction = null;
        Channel channel = null;
        if (kind == InteractionKind.CUSTOMER_CONTACT) {
            int t = random.nextInt(100);
            tone = t < 50
                    ? CustomerTone.CALM
                    : t < 75 ? CustomerTone.UPSET : t < 93 ? CustomerTone.ANGRY : CustomerTone.ABUSIVE;
            direction = random.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND;
            channel = random.nextBoolean() ? Channel.PHONE : Channel.EMAIL;
        }
        UUID promise = kind == InteractionKind.EXPECTATION_SET ? UUID.randomUUID() : null;
        Instant due = promise == null ? null : now.plus(Duration.ofDays(2));
        return event(
                customer,
                new InteractionRecorded(
                        caseId,
                        reference(i),
                        UUID.randomUUID(),
                        kind,
                        kind.name().toLowerCase().replace('_', ' ') + ": the agent's note of what was said and done",
                        direction,
                        channel,
                        tone,
                        promise,
                        due,
                        now,
                        null,
                        null,
                        null));
    }

    /** What a drain took: its events, its time, and the CPU time of the service's process and its database's backends. */
    record Drain(long count, double seconds, double serviceCpu, double databaseCpu) {
        double perSecond() {
            return count / seconds;
        }

        /** CPU milliseconds per 1,000 events: the service's, then its database's. */
        String cpu() {
            return String.format(
                    "CPU per 1,000: %.0f ms service, %.0f ms database",
                    serviceCpu * 1e6 / count, databaseCpu * 1e6 / count);
        }
    }

    /**
     * Drains the warm-up events (its rate, right after start-up and within the JIT's warm-up, is
     * reported as well), waits until the process is idle, and freezes it.
     */
    String warmUp(String name, ServiceProcess app, Progress progress) throws Exception {
        String cold = "no warm-up events";
        if (WARMUP_EVENTS > 0) {
            cold = String.format(
                    "warm-up drained at %,.0f/s right after start-up",
                    progress.drain(0, WARMUP_EVENTS).perSecond());
        }
        Duration idle = idle(app);
        app.freeze();
        return String.format("    %s: %s; idle %.1f s later%n", name, cold, idle.toMillis() / 1e3);
    }

    /**
     * Waits until the process has used less than 5 % of a core for two seconds in a row (its JIT
     * has compiled what the warm-up made hot), at most two minutes; answers how long that took.
     */
    static Duration idle(ServiceProcess app) throws Exception {
        Path stat = Path.of("/proc", String.valueOf(app.pid()), "stat");
        // Ticks are 1/100 s (USER_HZ): under 25 ms of CPU in a sample of 500 ms.
        return untilQuiet(
                Duration.ofMinutes(2), () -> new long[] {cpuTicks(stat)}, (before, now) -> now[0] - before[0] < 3);
    }

    interface Sample {
        long[] take() throws Exception;
    }

    /**
     * Samples every 500 ms until {@code quiet} holds between consecutive samples four times in a
     * row (two seconds), at most {@code max}; answers how long that took.
     */
    static Duration untilQuiet(Duration max, Sample sample, java.util.function.BiPredicate<long[], long[]> quiet)
            throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + max.toNanos();
        long[] previous = sample.take();
        int quietSamples = 0;
        while (quietSamples < 4 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            long[] now = sample.take();
            quietSamples = quiet.test(previous, now) ? quietSamples + 1 : 0;
            previous = now;
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    static long cpuTicks(Path stat) throws Exception {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    /**
     * How far a consumer has got, in the table it writes ({@code seq} its key): the highest sequence
     * number (one index probe: counting the rows of a table of large rows every 50 ms, as a first
     * version did, scanned it whole each time and took the database from the consumer it
     * measured) tells progress; the rows after a sequence number (a range of the key) are counted
     * exactly once progress says the produced events should all be in, and at the end: a sequence
     * may have gaps, and what the consumer writes may be more than the produced events.
     */
    final class Progress {
        private final ServiceProcess app;
        private final String sequenceSql;
        private final String producedSql;
        private final String writtenSql;

        /** @param produced the condition that picks out the rows of produced events */
        Progress(ServiceProcess app, String table, String produced) {
            this.app = app;
            this.sequenceSql = "SELECT coalesce(max(seq), 0) FROM " + table;
            this.producedSql = "SELECT count(*) FROM " + table + " WHERE seq > ? AND " + produced;
            this.writtenSql = "SELECT count(*) FROM " + table + " WHERE seq > ?";
        }

        long sequence() throws Exception {
            return count(app, sequenceSql);
        }

        /** Waits until the sequence has not moved for two seconds (at most two minutes); answers the rows written meanwhile. */
        long settle() throws Exception {
            long start = sequence();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long last = start;
            long since = System.nanoTime();
            while (System.nanoTime() - since < Duration.ofSeconds(2).toNanos() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                long n = sequence();
                if (n != last) {
                    last = n;
                    since = System.nanoTime();
                }
            }
            return last - start;
        }

        /**
         * Polls every 50 ms until {@code events} produced events are written after sequence number
         * {@code start} (read before the consumer is started or resumed); the rate is taken from the
         * first poll that saw progress to the one that saw the last event, so neither the wait for
         * the first poll nor a rejoin of the consumer group is part of it, over the rows written in
         * between, counted. Fails when nothing moves for a minute (a record dead-lettered, say).
         */
        Drain drain(long start, int events) throws Exception {
            try (Connection c = DriverManager.getConnection(
                            app.jdbcUrl(),
                            infra.postgres().user(),
                            infra.postgres().password());
                    Statement s = c.createStatement();
                    PreparedStatement produced = c.prepareStatement(producedSql);
                    PreparedStatement written = c.prepareStatement(writtenSql)) {
                produced.setLong(1, start);
                long first = -1;
                long firstSeq = 0;
                Cpu cpu = null;
                long n = start;
                long moved = System.nanoTime();
                while (n - start < events || count(produced) < events) {
                    Thread.sleep(50);
                    long now = System.nanoTime();
                    long next = count(s, sequenceSql);
                    if (next != n) {
                        moved = now;
                    }
                    n = next;
                    if (first < 0 && n > start) {
                        first = now;
                        firstSeq = n;
                        cpu = cpu(s);
                    }
                    if (now - moved > Duration.ofMinutes(1).toNanos()) {
                        throw new IllegalStateException("no progress for a minute: " + count(produced) + " of " + events
                                + " consumed (a record dead-lettered? see target/benchmark-escalation*.log)");
                    }
                }
                long end = System.nanoTime();
                Cpu cpuEnd = cpu(s);
                if (first < 0) {
                    throw new IllegalStateException(
                            "everything was consumed before the first poll; raise bench.events");
                }
                written.setLong(1, firstSeq);
                long count = count(written);
                if (count == 0) {
                    throw new IllegalStateException(
                            "everything was consumed before the first poll; raise bench.events");
                }
                return new Drain(
                        count,
                        (end - first) / 1e9,
                        (cpuEnd.service() - cpu.service()) / 100.0,
                        cpuEnd.databaseSince(cpu) / 100.0);
            }
        }

        /**
         * CPU ticks (1/100 s) so far of the service's process and of each of its database's backends
         * but the benchmark's own (the server's own processes, the checkpointer and the WAL writer, are
         * shared and not counted, nor an autovacuum worker).
         */
        private Cpu cpu(Statement s) throws Exception {
            Map<Integer, Long> backends = new java.util.HashMap<>();
            try (ResultSet r = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
                while (r.next()) {
                    Path proc = Path.of("/proc", String.valueOf(r.getInt(1)));
                    try {
                        // A server on another machine (REDRESS_TEST_PG_HOST): its pids are not ours.
                        if (Files.readString(proc.resolve("comm")).startsWith("postgres")) {
                            backends.put(r.getInt(1), cpuTicks(proc.resolve("stat")));
                        }
                    } catch (java.io.IOException gone) {
                        // a backend that has just ended, or not on this machine
                    }
                }
            }
            return new Cpu(cpuTicks(Path.of("/proc", String.valueOf(app.pid()), "stat")), backends);
        }
    }

    record Cpu(long service, Map<Integer, Long> backends) {
        /** The backends' ticks since {@code before}; one that started since counts whole, one that ended is lost. */
        long databaseSince(Cpu before) {
            return backends.entrySet().stream()
                    .mapToLong(b -> b.getValue() - before.backends.getOrDefault(b.getKey(), 0L))
                    .sum();
        }
    }

    /**
     * Waits until the whole machine has been quiet for two seconds (under a tenth of its CPU busy:
     * what the last turn left to the database, autovacuum, the broker's work, done; at most a
     * minute), then checkpoints the database, so that the next turn starts clean.
     */
    void quiet() throws Exception {
        untilQuiet(Duration.ofMinutes(1), EscalationBenchmark::machineTicks, (before, now) -> {
            long busy = now[0] - before[0];
            long all = now[1] - before[1];
            return all > 0 && busy * 10 < all;
        });
        try (Connection c = infra.postgres().connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** Busy and all CPU ticks of the machine so far ({@code /proc/stat}). */
    static long[] machineTicks() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long all = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            all += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle, iowait
        return new long[] {all - idle, all};
    }

    static long count(PreparedStatement s) throws Exception {
        try (ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    long count(ServiceProcess app, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        app.jdbcUrl(), infra.postgres().user(), infra.postgres().password());
                Statement s = c.createStatement()) {
            return count(s, sql);
        }
    }

    static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    // ---------------------------------------------------------------- (b)

    static String criticalComplaint(int i) {
        return """
                {"customer":{"id":"C-critical-%d","name":"Ada Lovelace","email":"ada@example.org","phone":"+44 20 7946 0000"},
                 "channel":"PHONE","category":"fraud","product":"Current account",
                 "summary":"Account emptied by payments the customer did not make",
                 "description":"Four card payments overnight; the customer is left without money for rent.",
                 "severity":"CRITICAL","regulatoryProfile":"UK_FCA_DISP"}
                """.formatted(i);
    }

    /** One token for every request of a minute: signing a token is client work that is not measured. */
    static final class Token {
        private volatile String value;
        private volatile long issued;

        String get() {
            long now = System.nanoTime();
            if (value == null || now - issued > TimeUnit.MINUTES.toNanos(1)) {
                value = TestTokens.bearer("bench-client", SecurityChecks.ROLES.toArray(String[]::new));
                issued = now;
            }
            return value;
        }
    }

    record Posted(UUID caseId, long sentAt, long answeredAt, boolean counted) {}

    /**
     * CRITICAL complaints posted at a steady rate (open loop: a slow answer does not delay the next
     * complaint); meanwhile one reader follows the SUPERVISOR queue at {@code GET /escalations} from
     * its end, with the keyset cursor, and notes when each case's escalation was first readable. One
     * request per poll, whatever the backlog, so the reading does not grow with what it measures.
     * Escalations are raised by the one case-events consumer thread, in order of their raisedAt, so
     * the cursor passes none by.
     */
    String criticalLatency(ServiceProcess intake, ServiceProcess escalation) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Token token = new Token();
        int warmup = RATE * WARMUP_SECONDS;
        int total = warmup + RATE * SECONDS;
        ConcurrentLinkedQueue<Posted> posted = new ConcurrentLinkedQueue<>();
        Map<UUID, Long> readableAt = new ConcurrentHashMap<>();
        AtomicInteger failedPosts = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong polls = new AtomicLong();

        // Skip what the queue already holds: (a)'s escalations.
        String queue = "http://127.0.0.1:" + escalation.port() + "/escalations?status=OPEN&level=SUPERVISOR";
        AtomicReference<String> cursor = new AtomicReference<>();
        while (true) {
            String next = page(http, token, queue, cursor.get(), 200, null);
            if (next == null) {
                break;
            }
            cursor.set(next);
        }
        Thread reader = new Thread(
                () -> {
                    while (!stop.get()) {
                        try {
                            polls.incrementAndGet();
                            String next = page(http, token, queue, cursor.get(), 10, readableAt);
                            if (next != null) {
                                cursor.set(next);
                                continue;
                            }
                            Thread.sleep(POLL_MS);
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            // polled again
                        }
                    }
                },
                "escalation-queue-reader");
        reader.start();

        ExecutorService senders = Executors.newFixedThreadPool(16);
        long interval = 1_000_000_000L / RATE;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        try {
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int n = i;
                boolean counted = i >= warmup;
                senders.execute(() -> {
                    try {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.port() + "/complaints"))
                                        .header("Authorization", token.get())
                                        .header("Content-Type", "application/json")
                                        .timeout(Duration.ofSeconds(10))
                                        .POST(HttpRequest.BodyPublishers.ofString(criticalComplaint(n)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        Matcher m = ID.matcher(r.body());
                        if (r.statusCode() != 201 || !m.find()) {
                            failedPosts.incrementAndGet();
                            return;
                        }
                        posted.add(new Posted(UUID.fromString(m.group(1)), t0, t1, counted));
                    } catch (Exception e) {
                        failedPosts.incrementAndGet();
                    }
                });
            }
            senders.shutdown();
            senders.awaitTermination(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (posted.stream().anyMatch(p -> !readableAt.containsKey(p.caseId())) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            senders.shutdownNow();
            stop.set(true);
            reader.join(10_000);
        }
        double pollSeconds = (System.nanoTime() - start) / 1e9;
        List<Posted> measured = posted.stream().filter(Posted::counted).toList();
        long[] post = measured.stream()
                .mapToLong(p -> p.answeredAt() - p.sentAt())
                .sorted()
                .toArray();
        long[] readable = measured.stream()
                .filter(p -> readableAt.containsKey(p.caseId()))
                .mapToLong(p -> readableAt.get(p.caseId()) - p.sentAt())
                .sorted()
                .toArray();
        long missing =
                posted.stream().filter(p -> !readableAt.containsKey(p.caseId())).count();
        double postP50 = pct(post, 0.50);
        double postP99 = pct(post, 0.99);
        double readP50 = pct(readable, 0.50);
        double readP99 = pct(readable, 0.99);
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "(b) CRITICAL complaints at %d/s for %d s (after %d s of warm-up at the same rate); the SUPERVISOR "
                        + "queue read at GET /escalations every %d ms (%.0f reads/s)%n",
                RATE, SECONDS, WARMUP_SECONDS, POLL_MS, polls.get() / pollSeconds));
        b.append(String.format(
                "    measured %d of %d; failed POSTs %d, no escalation within 120 s of the last POST %d (whole run)%n",
                readable.length, RATE * SECONDS, failedPosts.get(), missing));
        b.append(String.format(
                "    POST /complaints -> 201 (reference): p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                postP50, postP99, pct(post, 1.0)));
        b.append(String.format(
                "    POST /complaints -> escalation readable: p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                readP50, readP99, pct(readable, 1.0)));
        b.append(String.format("    ratio to the POST: p50 %.1f  p99 %.1f%n", readP50 / postP50, readP99 / postP99));
        return b.toString();
    }

    static final Pattern CASE_ID = Pattern.compile("\"caseId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*\"([^\"]+)\"");

    /** Reads one page of the queue; notes when each case was first seen; returns the next cursor or null. */
    static String page(HttpClient http, Token token, String queue, String after, int limit, Map<UUID, Long> seen)
            throws Exception {
        String url = queue + "&limit=" + limit
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", token.get())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long now = System.nanoTime();
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /escalations answered " + r.statusCode() + ": " + r.body());
        }
        if (seen != null) {
            Matcher m = CASE_ID.matcher(r.body());
            while (m.find()) {
                seen.putIfAbsent(UUID.fromString(m.group(1)), now);
            }
        }
        Matcher next = NEXT.matcher(r.body());
        return next.find() ? next.group(1) : null;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }
}
