package redress.localrun.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import redress.localinfra.JwtKeys;
import redress.localrun.LocalRun;

/**
 * The whole system's cost per complaint, measured from outside (docs/performance.md, "The whole
 * system: CPU per complaint"). It starts the local run in a directory of its own (PostgreSQL with
 * fsync on, the broker, the four services, each its own process), posts complaints from a fixed
 * number of clients, waits until every consumer group has read everything (no lag, and the topics'
 * ends still for two seconds), and reads from the operating system how much CPU each process
 * used: each service, the broker, PostgreSQL (its postmaster, every backend and the backends that
 * have already exited), the machine as a whole, and this process (the clients and the runner, not
 * counted in the sum). The same-run reference is pgbench's single-row insert on the same server,
 * measured the same way.
 *
 * <p>Modes: {@code warm} (a warm-up, then the measured window), {@code cold} (the first minute after
 * the start, in two halves, then the warm measurement of the same run as its reference),
 * {@code growth} (stored complaints added first: {@code --stored} of them from distinct customers,
 * and {@code --earlier} earlier complaints for each of {@code --customers} customers, whom the
 * measured complaints then come from; then as warm), {@code mix} (as warm, but each client does a
 * complaint's life after posting it, {@link CaseLife}: interactions, the resolution, the close
 * and auditors' reads, each as the role the contract asks for; the report adds the requests per
 * complaint and each kind's answers and times).
 */
public final class SystemBenchmark {

    private static final List<String> COMPONENTS = Stream.concat(
                    LocalRun.SERVICES.stream().map(LocalRun.Service::name),
                    Stream.of(LocalRun.KAFKA, LocalRun.POSTGRES))
            .toList();

    /** The key suffix of a component's JIT compiler threads' CPU in {@link #cpu()}. */
    private static final String JIT = " jit";

    private final LocalRun run;
    private final Admin admin;
    private final StringBuilder report = new StringBuilder();
    private Map<String, Long> commitsBefore = Map.of();

    private SystemBenchmark(LocalRun run) {
        this.run = run;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                run.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000));
    }

    public static void main(String[] argv) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> args = options(argv);
        String mode = args.getOrDefault("mode", "warm");
        if (!Set.of("warm", "cold", "growth", "mix").contains(mode)) {
            System.err.println("benchmark: --mode is warm, cold, growth or mix");
            System.exit(2);
        }
        int clients = Integer.parseInt(args.getOrDefault("clients", "16"));
        int identities = Integer.parseInt(args.getOrDefault("identities", "64"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup", "60")));
        Duration window = Duration.ofSeconds(Long.parseLong(args.getOrDefault("seconds", "60")));
        long stored = Long.parseLong(args.getOrDefault("stored", "0"));
        int earlier = Integer.parseInt(args.getOrDefault("earlier", "0"));
        int customers = Integer.parseInt(args.getOrDefault("customers", "2000"));

        Path home = Path.of(System.getenv().getOrDefault("REDRESS_BENCH_HOME", "local-run/target/system-bench"))
                .toAbsolutePath();
        Instant started = Instant.now();
        LocalRun run = LocalRun.startInOwnDirectory(home, "system-bench", "REDRESS_BENCH_HOME");

        JwtKeys keys = JwtKeys.in(home);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            tokens.add(keys.issue("bench-system-" + i, Set.of("complaint-submitter"), Duration.ofHours(6)));
        }
        String intake = "http://127.0.0.1:" + port("intake-service");
        Submitters.CaseWork work = Submitters.CaseWork.NONE;
        if ("mix".equals(mode)) {
            // The team: an agent per client, two auditors.
            List<String> agents = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                agents.add(keys.issue("bench-agent-" + i, Set.of("agent"), Duration.ofHours(6)));
            }
            List<String> auditors = List.of(
                    keys.issue("bench-auditor-0", Set.of("auditor"), Duration.ofHours(6)),
                    keys.issue("bench-auditor-1", Set.of("auditor"), Duration.ofHours(6)));
            String audit = "http://127.0.0.1:" + port("audit-service");
            work = new CaseLife(intake, audit, agents, auditors, clients);
        }

        SystemBenchmark bench = new SystemBenchmark(run);
        String command = "local-run/benchmark " + String.join(" ", argv);
        bench.say("# Whole system, CPU per complaint: " + command);
        bench.say("");
        bench.say(String.format(
                Locale.ROOT,
                "%s; %d clients, %d submitter identities; %d cores; PostgreSQL with fsync on; services started at %s",
                mode,
                clients,
                identities,
                Runtime.getRuntime().availableProcessors(),
                started));
        if ("mix".equals(mode)) {
            bench.say("mix: " + CaseLife.DESCRIPTION);
        }
        try {
            Submitters fresh = new Submitters(intake, tokens, Submitters.Customers.fresh(), work);
            if ("cold".equals(mode)) {
                bench.cold(fresh, clients);
            }
            Submitters measured = fresh;
            if ("growth".equals(mode)) {
                bench.grow(stored, earlier, customers);
                if (earlier > 0) {
                    measured = new Submitters(intake, tokens, Submitters.Customers.pool("G-", customers), work);
                }
            }
            bench.say("");
            bench.say("warm-up: " + warmup.toSeconds() + " s");
            measured.run(clients, warmup);
            bench.drain();
            bench.measure("mix".equals(mode) ? "mix" : "warm", measured, clients, window);
            bench.reference(clients);
        } finally {
            bench.admin.close();
            Path out = home.getParent().resolve("system-benchmark-" + mode + ".md");
            Files.writeString(out, bench.report);
            System.out.println("\n(written to " + out + ")");
            run.stop();
        }
        System.exit(0);
    }

    /** The first minute after the start, in two halves, with the consumers' catching up counted in the second. */
    private void cold(Submitters submitters, int clients) throws Exception {
        Map<String, Double> t0 = cpu();
        Submitters.Window first = submitters.run(clients, Duration.ofSeconds(30));
        Map<String, Double> t1 = cpu();
        Submitters.Window second = submitters.run(clients, Duration.ofSeconds(30));
        Duration drained = drain();
        Map<String, Double> t2 = cpu();
        table("cold, 0–30 s after the start", first, t0, t1, null);
        table("cold, 30–60 s (and the drain, " + drained.toSeconds() + " s)", second, t1, t2, null);
        table("cold, the whole first minute", first.plus(second), t0, t2, null);
    }

    private void measure(String label, Submitters submitters, int clients, Duration window) throws Exception {
        resetStatements();
        Map<String, Double> before = cpu();
        Submitters.Window w = submitters.run(clients, window);
        Duration drained = drain();
        Map<String, Double> after = cpu();
        table(
                label + ", " + window.toSeconds() + " s (and the drain, " + drained.toSeconds() + " s)",
                w,
                before,
                after,
                null);
        // What the whole system got through, not only what intake accepted: the consumers' rate.
        double seconds = w.elapsed().plus(drained).toNanos() / 1e9;
        say("");
        say(String.format(
                Locale.ROOT,
                "End to end: %d complaints in the window and the drain (%.1f s), %.0f/s",
                w.accepted(),
                seconds,
                w.accepted() / seconds));
        statements(w.accepted());
    }

    private void resetStatements() throws SQLException {
        try (Connection c = run.postgres().connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            // Planning too: a statement whose plan is made at every call (a custom plan) costs the
            // server more than its execution time shows. Set for this run's server only.
            s.execute("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
            s.execute("SELECT pg_reload_conf()");
            s.execute("SELECT pg_stat_statements_reset()");
            commitsBefore = commits(s);
        }
    }

    /** Each database's committed transactions so far (pg_stat_database). */
    private static Map<String, Long> commits(Statement s) throws SQLException {
        Map<String, Long> commits = new TreeMap<>();
        try (var rs = s.executeQuery("SELECT datname, xact_commit FROM pg_stat_database WHERE datname IS NOT NULL")) {
            while (rs.next()) {
                commits.put(rs.getString(1), rs.getLong(2));
            }
        }
        return commits;
    }

    /**
     * Where PostgreSQL's time went in the measured window, from pg_stat_statements: statements and
     * their execution time per complaint for each service's database, and the statements that took
     * the most time.
     */
    private void statements(long complaints) throws SQLException {
        if (complaints == 0) {
            return;
        }
        say("");
        say("PostgreSQL's statements in the window (pg_stat_statements: execution and planning time, not");
        say("parsing, commits or the WAL; plans made, none for a statement that ran a cached plan; commits");
        say("from pg_stat_database), per complaint:");
        say("");
        say("| database | statements | execution time | plans made | planning time | commits |");
        say("|---|---|---|---|---|---|");
        try (Connection c = run.postgres().connect("postgres");
                Statement s = c.createStatement()) {
            Map<String, Long> commitsAfter = commits(s);
            try (var rs = s.executeQuery("SELECT d.datname, sum(calls), sum(total_exec_time), sum(plans), "
                    + "sum(total_plan_time) FROM pg_stat_statements p "
                    + "JOIN pg_database d ON d.oid = p.dbid GROUP BY d.datname ORDER BY 3 DESC")) {
                while (rs.next()) {
                    String db = rs.getString(1);
                    say(String.format(
                            Locale.ROOT,
                            "| %s | %.1f | %.3f ms | %.1f | %.3f ms | %.2f |",
                            db,
                            rs.getLong(2) / (double) complaints,
                            rs.getDouble(3) / complaints,
                            rs.getLong(4) / (double) complaints,
                            rs.getDouble(5) / complaints,
                            (commitsAfter.getOrDefault(db, 0L) - commitsBefore.getOrDefault(db, 0L))
                                    / (double) complaints));
                }
            }
            say("");
            say("The statements that took the most time (which includes waiting for locks):");
            topStatements(s, "total_exec_time", complaints);
            say("");
            say("The statements run most often (transaction control included, as the driver sends it):");
            topStatements(s, "calls", complaints);
        }
    }

    /** The 15 statements of pg_stat_statements first by {@code order}, per complaint. */
    private void topStatements(Statement s, String order, long complaints) throws SQLException {
        say("");
        say("| database | calls per complaint | time per complaint | statement |");
        say("|---|---|---|---|");
        try (var rs = s.executeQuery("SELECT d.datname, calls, total_exec_time, "
                + "regexp_replace(left(query, 110), '\\s+', ' ', 'g') FROM pg_stat_statements p "
                + "JOIN pg_database d ON d.oid = p.dbid ORDER BY " + order + " DESC LIMIT 15")) {
            while (rs.next()) {
                say(String.format(
                        Locale.ROOT,
                        "| %s | %.2f | %.3f ms | `%s` |",
                        rs.getString(1),
                        rs.getLong(2) / (double) complaints,
                        rs.getDouble(3) / complaints,
                        rs.getString(4).replace("|", "\\|").replace("`", "'")));
            }
        }
    }

    private void table(
            String label, Submitters.Window w, Map<String, Double> before, Map<String, Double> after, String note) {
        say("");
        say("## " + label);
        say("");
        say(String.format(
                Locale.ROOT,
                "%d complaints accepted (%d refused%s) in %.1f s: %.0f/s; POST p50 %.1f ms, p99 %.1f ms",
                w.accepted(),
                w.refused(),
                w.refused() == 0 ? "" : ": " + w.complaints().refusals(),
                w.elapsed().toNanos() / 1e9,
                w.perSecond(),
                w.percentileMillis(50),
                w.percentileMillis(99)));
        if (w.kinds().size() > 1) {
            requests(w);
        }
        say("");
        say("| process | CPU s | CPU per complaint | of which JIT compiler threads |");
        say("|---|---|---|---|");
        double sum = 0;
        double jit = 0;
        for (String c : COMPONENTS) {
            double d = after.get(c) - before.get(c);
            double j = after.get(c + JIT) - before.get(c + JIT);
            sum += d;
            jit += j;
            say(String.format(
                    Locale.ROOT, "| %s | %.1f | %.2f ms | %.2f ms |", c, d, perComplaint(d, w), perComplaint(j, w)));
        }
        say(String.format(
                Locale.ROOT,
                "| **the system (sum)** | %.1f | **%.2f ms** | %.2f ms |",
                sum,
                perComplaint(sum, w),
                perComplaint(jit, w)));
        double machine = after.get("machine") - before.get("machine");
        double self = after.get("clients") - before.get("clients");
        say(String.format(
                Locale.ROOT,
                "| the clients and the runner (not in the sum) | %.1f | %.2f ms | |",
                self,
                perComplaint(self, w)));
        say(String.format(Locale.ROOT, "| whole machine | %.1f | %.2f ms | |", machine, perComplaint(machine, w)));
        if (note != null) {
            say("");
            say(note);
        }
    }

    /** The mix's requests: how many per complaint, each kind's answers by status and its answer times. */
    private void requests(Submitters.Window w) {
        long refused = w.kinds().stream().mapToLong(Requests.Kind::refused).sum();
        say("");
        say(String.format(
                Locale.ROOT,
                "%d requests, %.2f per complaint, %d of them refused; times of the accepted ones:",
                w.requests(),
                w.accepted() == 0 ? Double.NaN : w.requests() / (double) w.accepted(),
                refused));
        say("");
        say("| request (as) | per complaint | answers | p50 | p99 |");
        say("|---|---|---|---|---|");
        for (Requests.Kind k : w.kinds()) {
            say(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %s | %.1f ms | %.1f ms |",
                    k.name(),
                    w.accepted() == 0 ? Double.NaN : k.total() / (double) w.accepted(),
                    k.answers(),
                    k.percentileMillis(50),
                    k.percentileMillis(99)));
        }
    }

    private static double perComplaint(double seconds, Submitters.Window w) {
        return w.accepted() == 0 ? Double.NaN : seconds * 1000 / w.accepted();
    }

    /** The CPU seconds used so far by each component, the machine and this process. */
    private Map<String, Double> cpu() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String c : COMPONENTS) {
            ProcessHandle p = run.process(c)
                    .orElseThrow(() -> new IllegalStateException(
                            c + " is not running: see " + run.home().resolve("logs")));
            out.put(c, (LocalRun.POSTGRES.equals(c) ? CpuClock.tree(p) : CpuClock.process(p)).orElse(0.0));
            out.put(c + JIT, CpuClock.compilerThreads(p));
        }
        out.put("clients", CpuClock.process(ProcessHandle.current()).orElse(0.0));
        out.put("machine", CpuClock.machine());
        return out;
    }

    /**
     * Waits until every consumer group has committed the end of every partition it reads and the
     * topics' ends have not moved for two seconds (so no outbox is still publishing what consumers
     * produced); at most ten minutes.
     */
    private Duration drain() throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        long stableSince = -1;
        long lastEnds = -1;
        while (System.nanoTime() < deadline) {
            long[] lagAndEnds = lagAndEnds();
            if (lagAndEnds[0] == 0 && lagAndEnds[1] == lastEnds) {
                if (stableSince < 0) {
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince >= TimeUnit.SECONDS.toNanos(2)) {
                    return Duration.ofNanos(stableSince - start);
                }
            } else {
                stableSince = -1;
            }
            lastEnds = lagAndEnds[1];
            Thread.sleep(250);
        }
        throw new IllegalStateException("the consumers did not catch up within 10 minutes");
    }

    /** The total lag of every consumer group, and the sum of the ends of the partitions they read. */
    private long[] lagAndEnds() throws Exception {
        long lag = 0;
        long ends = 0;
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            for (var e : committed.entrySet()) {
                long last = end.get(e.getKey()).offset();
                ends += last;
                lag += Math.max(
                        0, last - (e.getValue() == null ? 0 : e.getValue().offset()));
            }
        }
        return new long[] {lag, ends};
    }

    /**
     * Stored complaints for the growth mode, written straight into intake's table (the API would
     * take hours for a million): {@code stored} from distinct customers, and {@code earlier} for
     * each of {@code customers} customers {@code G-0 … G-(customers-1)}, then analysed.
     */
    private void grow(long stored, int earlier, int customers) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = run.postgres().connect("intake");
                Statement s = c.createStatement()) {
            String insert = "INSERT INTO complaint (id, reference, customer_id, channel, category, product, summary, "
                    + "severity, level, status, regulatory_profile, submitted_by, received_at, registered_at, "
                    + "updated_at, customer_kid, customer_iv, customer_ct) "
                    + "SELECT gen_random_uuid(), 'SEED-%1$s-' || g, %2$s, 'WEB', 'billing', 'current account', "
                    + "'A stored complaint', 'MEDIUM', 'AGENT', 'RESOLVED', 'DEFAULT', 'bench-seed', "
                    + "now() - interval '400 days' + g * interval '1 second', "
                    + "now() - interval '400 days' + g * interval '1 second', now(), 'seed:1', 'AA', 'AA' "
                    + "FROM generate_series(1, %3$d) g";
            if (stored > 0) {
                s.execute(String.format(Locale.ROOT, insert, "S", "'S-' || g", stored));
            }
            if (earlier > 0) {
                s.execute(String.format(
                        Locale.ROOT, insert, "G", "'G-' || (g % " + customers + ")", (long) earlier * customers));
            }
            s.execute("ANALYZE complaint");
        }
        say("");
        say(String.format(
                Locale.ROOT,
                "stored first: %d complaints of distinct customers, and %d earlier complaints for each of %d customers"
                        + " (intake's table, in %.0f s); the measured complaints come from %s",
                stored,
                earlier,
                customers,
                (System.nanoTime() - t0) / 1e9,
                earlier > 0 ? "those customers" : "new customers"));
    }

    /** pgbench's single-row insert (autocommit), same clients, same server, same run, measured the same way. */
    private void reference(int clients) throws Exception {
        String pgbench = pgbench();
        say("");
        say("## Reference: pgbench, one single-row INSERT per transaction, " + clients + " clients, 20 s");
        say("");
        if (pgbench == null) {
            say("pgbench is not installed here (postgresql-client): no reference in this run.");
            return;
        }
        run.postgres().createDatabase("bench_reference", true);
        try (Connection c = run.postgres().connect("bench_reference");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE single_row (id bigserial PRIMARY KEY, v text NOT NULL)");
        }
        Path script = Files.createTempFile("redress-bench", ".sql");
        Files.writeString(script, "INSERT INTO single_row (v) VALUES ('a complaint-sized row of text');\n");
        ProcessBuilder pb = new ProcessBuilder(
                pgbench,
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(run.postgres().port()),
                "-U",
                run.postgres().user(),
                "-n",
                "-c",
                String.valueOf(clients),
                "-j",
                "2",
                "-T",
                "20",
                "-f",
                script.toString(),
                "bench_reference");
        pb.environment().put("PGPASSWORD", run.postgres().password());
        pb.redirectErrorStream(true);
        Map<String, Double> before = cpu();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            say("pgbench failed: " + out);
            return;
        }
        Map<String, Double> after = cpu();
        Files.delete(script);
        Matcher n = Pattern.compile("number of transactions actually processed: (\\d+)")
                .matcher(out);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!n.find() || !tps.find()) {
            say("pgbench's output was not understood: " + out);
            return;
        }
        long inserts = Long.parseLong(n.group(1));
        double pg = after.get(LocalRun.POSTGRES) - before.get(LocalRun.POSTGRES);
        say(String.format(
                Locale.ROOT,
                "%d inserts, %s/s; PostgreSQL's CPU per insert %.3f ms (%.1f s in all)",
                inserts,
                tps.group(1),
                pg * 1000 / inserts,
                pg));
        say("");
        say("A complaint's PostgreSQL CPU divided by this figure is how many single-row commits it costs the server.");
    }

    /** pgbench: {@code REDRESS_PGBENCH}, or the first on the PATH (postgresql-client installs it). */
    private static String pgbench() {
        String configured = System.getenv("REDRESS_PGBENCH");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbench"))) {
                return Path.of(dir, "pgbench").toString();
            }
        }
        return null;
    }

    private void say(String line) {
        System.out.println(line);
        report.append(line).append('\n');
    }

    private static int port(String service) {
        return LocalRun.SERVICES.stream()
                .filter(s -> s.name().equals(service))
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static Map<String, String> options(String[] argv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                System.err.println("benchmark: options are --name value (see docs/performance.md)");
                System.exit(2);
            }
            out.put(argv[i].substring(2), argv[++i]);
        }
        return out;
    }
}
