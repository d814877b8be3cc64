package redress.intake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;

/**
 * Complaints accepted per second at 8 and 32 concurrent clients, with p50/p99 latency, as a ratio
 * to single-row INSERTs per second on the same PostgreSQL, at the same concurrency, in the same run.
 * Not a test: its name keeps it out of Surefire and Failsafe unless asked for by name
 * (see docs/performance.md).
 */
class IntakeBenchmark {

    static final int SECONDS = Integer.getInteger("bench.seconds", 15);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 5);

    record Result(int clients, long operations, double seconds, long[] latenciesNanos) {
        double perSecond() {
            return operations / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }
    }

    @FunctionalInterface
    interface Operation {
        /** One operation; false when it did not succeed (not counted). */
        boolean run(int client) throws Exception;
    }

    @Test
    void complaintsPerSecondAgainstPlainInserts() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        try (ServiceProcess app = new ServiceProcess(Api.APP_JAR, infra, "intake_bench", null)) {
            app.start("benchmark-app");
            String url = app.jdbcUrl();
            try (Connection c = DriverManager.getConnection(
                            url, infra.postgres().user(), infra.postgres().password());
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL, "
                        + "created_at timestamptz NOT NULL DEFAULT now())");
            }
            String payload = Api.complaintJson("C-bench");
            StringBuilder report = new StringBuilder();
            report.append(String.format(
                    "%-8s %16s %16s %8s %10s %10s %10s %10s%n",
                    "clients",
                    "inserts/s",
                    "complaints/s",
                    "ratio",
                    "ins p50ms",
                    "ins p99ms",
                    "cmp p50ms",
                    "cmp p99ms"));
            for (int clients : new int[] {8, 32}) {
                List<Connection> conns = new ArrayList<>();
                List<PreparedStatement> inserts = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    Connection c = DriverManager.getConnection(
                            url, infra.postgres().user(), infra.postgres().password());
                    conns.add(c);
                    inserts.add(c.prepareStatement("INSERT INTO bench_insert (payload) VALUES (?)"));
                }
                Result reference = load(clients, client -> {
                    PreparedStatement ps = inserts.get(client);
                    ps.setString(1, payload);
                    return ps.executeUpdate() == 1;
                });
                for (Connection c : conns) {
                    c.close();
                }
                Result intake = load(
                        clients,
                        client -> app.post("/complaints", Api.complaintJson(Api.newCustomer()))
                                        .statusCode()
                                == 201);
                report.append(String.format(
                        "%-8d %16.0f %16.0f %8.2f %10.2f %10.2f %10.2f %10.2f%n",
                        clients,
                        reference.perSecond(),
                        intake.perSecond(),
                        intake.perSecond() / reference.perSecond(),
                        reference.percentileMillis(50),
                        reference.percentileMillis(99),
                        intake.percentileMillis(50),
                        intake.percentileMillis(99)));
            }
            String text = "intake benchmark (" + SECONDS + " s per measurement, " + WARMUP_SECONDS + " s warm-up, "
                    + Runtime.getRuntime().availableProcessors() + " cores)\n" + report;
            System.out.println(text);
            Files.writeString(Path.of("target", "benchmark-intake.txt"), text);
        }
    }

    /** Runs the operation from {@code clients} threads: a warm-up, then a measured window. */
    static Result load(int clients, Operation op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long warmupEnd = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
            long end = warmupEnd + SECONDS * 1_000_000_000L;
            List<Callable<long[]>> tasks = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                tasks.add(() -> {
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        boolean ok = op.run(client);
                        long t1 = System.nanoTime();
                        if (ok && t0 >= warmupEnd && t1 <= end) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = t1 - t0;
                        }
                    }
                    return Arrays.copyOf(lat, n);
                });
            }
            List<long[]> parts = new ArrayList<>();
            for (Future<long[]> f : pool.invokeAll(tasks)) {
                parts.add(f.get());
            }
            long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(clients, all.length, SECONDS, all);
        } finally {
            pool.shutdownNow();
        }
    }
}
