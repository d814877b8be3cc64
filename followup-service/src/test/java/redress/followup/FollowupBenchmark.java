package redress.followup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.VoidExecutionHandler;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
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
 * outage), fired per second, as a ratio to db-scheduler (the PostgreSQL-backed Java scheduler)
 * running as many one-time tasks due at once, in the same run, on the same PostgreSQL server:
 * once with a handler that inserts one outbox row (what firing a promise writes besides its own
 * row), once with a handler that does nothing;</li>
 * <li>for comparison, the same service firing one row per transaction.</li>
 * </ol>
 * Not a test: its name keeps it out of Surefire and Failsafe unless asked for by name.
 */
class FollowupBenchmark {

    static final Path JAR = Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));
    static final int STEADY_SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int BURST = Integer.getInteger("bench.burst", 100_000);
    static final int REFERENCE = Integer.getInteger("bench.reference", 10_000);
    /** Records the service's burst with Java Flight Recorder, to {@code target/benchmark-followup-burst.jfr}. */
    static final boolean JFR = Boolean.getBoolean("bench.jfr");

    static final int DBS_THREADS = Integer.getInteger("bench.dbs.threads", 8);
    static final double DBS_LOWER = Double.parseDouble(System.getProperty("bench.dbs.lower", "1.0"));
    static final double DBS_UPPER = Double.parseDouble(System.getProperty("bench.dbs.upper", "4.0"));
    static final String OUTBOX_PAYLOAD = "{\"specversion\":\"1.0\",\"type\":\"redress.promise.missed\","
            + "\"source\":\"/followup-service\",\"subject\":\"CMP-2026-000001\",\"time\":\"2026-12-06T18:00:00Z\","
            + "\"datacontenttype\":\"application/json\",\"data\":{\"caseId\":\"" + UUID.randomUUID()
            + "\",\"reference\":\"CMP-2026-000001\",\"promiseId\":\"" + UUID.randomUUID()
            + "\",\"dueAt\":\"2026-12-06T17:59:59Z\"},\"actor\":{\"type\":\"SYSTEM\",\"id\":\"followup-service\"}}";

    final TestInfrastructure infra = TestInfrastructure.get();

    @Test
    void latenessAndBurstDrainRate() throws Exception {
        StringBuilder out = new StringBuilder();
        double batched;
        try (ServiceProcess app = new ServiceProcess(JAR, infra, "followup_bench", null)) {
            app.start(
                    "benchmark-followup",
                    JFR
                            ? new String[] {
                                "-XX:StartFlightRecording=filename=target/benchmark-followup.jfr,settings=profile"
                            }
                            : new String[0]);
            double[] lateness = steady(app);
            out.append(String.format(
                    "steady %d due/s for %d s: lateness p50 %.0f ms, p99 %.0f ms, max %.0f ms (poll interval 1 s)%n",
                    100, STEADY_SECONDS, lateness[0], lateness[1], lateness[2]));
            if (JFR) {
                jcmd(app, "JFR.start", "name=burst", "settings=profile");
            }
            batched = burst(app, BURST);
            if (JFR) {
                jcmd(
                        app,
                        "JFR.stop",
                        "name=burst",
                        "filename="
                                + Path.of("target", "benchmark-followup-burst.jfr")
                                        .toAbsolutePath());
            }
            out.append(String.format("burst of %d due at once: %.0f fired/s (batches of 500)%n", BURST, batched));
        }
        try (ServiceProcess perTask = new ServiceProcess(JAR, infra, "followup_bench_pertask", null)
                .env("REDRESS_FOLLOWUP_WAKER_BATCH_SIZE", "1")) {
            perTask.start("benchmark-followup-pertask");
            double reference = burst(perTask, REFERENCE);
            out.append(String.format(
                    "same service, one row per transaction, %d due at once: %.0f fired/s (batched / this: %.1f)%n",
                    REFERENCE, reference, batched / reference));
        }
        String settings = String.format(
                "%d threads, lock-and-fetch %.1f/%.1f, poll interval 1 s", DBS_THREADS, DBS_LOWER, DBS_UPPER);
        try (DbScheduler dbs = new DbScheduler("followup_bench_dbscheduler")) {
            dbs.run(true, 5_000); // warm-up: the service had the steady phase before its burst
            double withInsert = dbs.run(true, BURST);
            double noop = dbs.run(false, BURST);
            out.append(String.format(
                    "db-scheduler 16.7.1, %d one-time tasks due at once, handler inserts one outbox row: %.0f executed/s (%s)%n",
                    BURST, withInsert, settings));
            out.append(String.format(
                    "db-scheduler 16.7.1, %d one-time tasks due at once, handler does nothing: %.0f executed/s%n",
                    BURST, noop));
            out.append(String.format(
                    "ratio batched / db-scheduler (one insert): %.2f; / db-scheduler (nothing): %.2f%n",
                    batched / withInsert, batched / noop));
        }
        String text = out.toString();
        System.out.println(text);
        Files.writeString(Path.of("target", "benchmark-followup.txt"), text);
    }

    /**
     * db-scheduler in this JVM, on a database of its own on the same PostgreSQL server, its table
     * created from its own PostgreSQL definition, with an outbox table like the service's.
     */
    final class DbScheduler implements AutoCloseable {

        final AgroalDataSource dataSource;

        DbScheduler(String database) throws SQLException {
            String url = infra.database(database);
            dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(cp -> cp.maxSize(DBS_THREADS + 4)
                            .acquisitionTimeout(Duration.ofSeconds(30))
                            .connectionFactoryConfiguration(cf -> cf.jdbcUrl(url)
                                    .principal(
                                            new NamePrincipal(infra.postgres().user()))
                                    .credential(
                                            new SimplePassword(infra.postgres().password())))));
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                // db-scheduler's postgresql_tables.sql as of 16.7.1
                s.execute("CREATE TABLE scheduled_tasks (task_name text not null, task_instance text not null, "
                        + "task_data bytea, execution_time timestamp with time zone not null, picked BOOLEAN not null, "
                        + "picked_by text, last_success timestamp with time zone, last_failure timestamp with time zone, "
                        + "consecutive_failures INT, last_heartbeat timestamp with time zone, version BIGINT not null, "
                        + "priority SMALLINT, PRIMARY KEY (task_name, task_instance))");
                s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
                s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
                s.execute(
                        "CREATE INDEX priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)");
                // service-support's V0_1__outbox.sql
                s.execute(
                        "CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                                + "event_id uuid NOT NULL UNIQUE, topic text NOT NULL, record_key text NOT NULL, "
                                + "event_type text NOT NULL, payload text NOT NULL, content_type text NOT NULL DEFAULT "
                                + "'application/cloudevents+json; charset=UTF-8', created_at timestamptz NOT NULL DEFAULT "
                                + "clock_timestamp(), sent_at timestamptz, attempts integer NOT NULL DEFAULT 0, last_error text)");
                s.execute("CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL");
                s.execute("CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL");
            }
        }

        /**
         * Writes {@code n} one-time tasks due a second ago straight into its table, starts a
         * scheduler and returns executions per second until the table is empty (each one-time
         * task's row is deleted when it has run).
         */
        double run(boolean insert, int n) throws Exception {
            VoidExecutionHandler<Void> handler = insert
                    ? (instance, context) -> {
                        try (Connection c = dataSource.getConnection();
                                PreparedStatement ps = c.prepareStatement(
                                        "INSERT INTO outbox "
                                                + "(event_id, topic, record_key, event_type, payload) VALUES (?, ?, ?, ?, ?)")) {
                            ps.setObject(1, UUID.randomUUID());
                            ps.setString(2, "case.followups");
                            ps.setString(3, instance.getId());
                            ps.setString(4, "redress.promise.missed");
                            ps.setString(5, OUTBOX_PAYLOAD);
                            ps.executeUpdate();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    : (instance, context) -> {};
            String name = insert ? "promise-missed" : "nothing";
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate(
                        "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version) "
                                + "SELECT '" + name
                                + "', gen_random_uuid()::text, now() - interval '1 second', false, 1 "
                                + "FROM generate_series(1, " + n + ")");
                long outboxBefore = count(s, "SELECT count(*) FROM outbox");
                Scheduler scheduler = Scheduler.create(
                                dataSource, Tasks.oneTime(name).execute(handler))
                        .threads(DBS_THREADS)
                        .pollingInterval(Duration.ofSeconds(1))
                        .pollUsingLockAndFetch(DBS_LOWER, DBS_UPPER)
                        .build();
                long t0 = System.nanoTime();
                scheduler.start();
                try {
                    long deadline = t0 + Duration.ofMinutes(20).toNanos();
                    while (count(s, "SELECT count(*) FROM scheduled_tasks") > 0) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("db-scheduler did not run the burst in 20 minutes");
                        }
                        Thread.sleep(100);
                    }
                    double rate = n / ((System.nanoTime() - t0) / 1e9);
                    long inserted = count(s, "SELECT count(*) FROM outbox") - outboxBefore;
                    if (inserted != (insert ? n : 0)) {
                        throw new IllegalStateException("db-scheduler's handlers inserted " + inserted + " rows");
                    }
                    return rate;
                } finally {
                    scheduler.stop();
                }
            }
        }

        @Override
        public void close() {
            dataSource.close();
        }
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

    static void jcmd(ServiceProcess app, String... command) throws Exception {
        List<String> line = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(app.pid())));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).inheritIO().start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed");
        }
    }

    static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
