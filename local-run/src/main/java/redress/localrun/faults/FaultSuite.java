package redress.localrun.faults;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import redress.localrun.LocalRun;
import redress.localrun.scenario.ApiClient;
import redress.localrun.scenario.DifficultCustomer.Endpoints;

/**
 * The fault suite (docs/reliability.md): the whole system as the local run starts it, in a data
 * directory of its own, under a steady load; one fault at a time, each followed by recovery and by
 * the checks of {@link Checks} from the load's own record; a table of what each fault cost. Loopback
 * only; bounded by a global deadline; not part of the build's tests.
 *
 * <p>Arguments: {@code --faults a,b,...} (default every fault, {@code --list} names them),
 * {@code --rate} complaints a second (default 3), {@code --minutes} the global deadline (default
 * 35: a fault that could not finish before it is skipped), {@code --out} the markdown file (default
 * {@code fault-table.md} in the suite's home). Environment: {@code REDRESS_FAULTS_HOME} (default
 * {@code local-run/target/fault-suite}, emptied at start).
 */
public final class FaultSuite {

    /** One row of the table. */
    record Row(
            String fault,
            String what,
            String recovery,
            String refused,
            int lost,
            int doubled,
            int falseBreaches,
            int manualSteps,
            String verify,
            String notes) {
        boolean holds() {
            return lost == 0 && doubled == 0 && falseBreaches == 0 && manualSteps == 0 && "ok".equals(verify);
        }
    }

    /** How long a fault may take at most, recovery and checks included; one that would end past the deadline is skipped. */
    static final Duration FAULT_BUDGET = Duration.ofMinutes(4);

    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(240);
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(150);
    /** The file that marks a directory as the suite's own home, which it may empty. */
    /** Load before each fault, so that the fault meets work in flight. */
    static final Duration BEFORE = Duration.ofSeconds(10);

    private final LocalRun run;
    private final Endpoints urls;
    private final Load load;
    private final Checks checks;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private final Set<String> reportedDoubled = new HashSet<>();
    private final Set<String> reportedFalse = new HashSet<>();

    private FaultSuite(LocalRun run, Endpoints urls, Load load, Checks checks) {
        this.run = run;
        this.urls = urls;
        this.load = load;
        this.checks = checks;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        List<String> argv = Arrays.asList(args);
        if (argv.contains("--list")) {
            new Faults(null, null, null).all().forEach(f -> System.out.printf("%-18s %s%n", f.name(), f.what()));
            return;
        }
        double rate = Double.parseDouble(option(argv, "--rate", "3"));
        Duration budget = Duration.ofMinutes(Long.parseLong(option(argv, "--minutes", "35")));
        Set<String> wanted =
                new LinkedHashSet<>(Arrays.asList(option(argv, "--faults", "").split(",")));
        wanted.remove("");
        Set<String> known = new Faults(null, null, null)
                .all().stream().map(Faults.Fault::name).collect(Collectors.toSet());
        for (String w : wanted) {
            if (!known.contains(w)) {
                System.err.println("faults: no fault named " + w + "; --list names them");
                System.exit(2);
            }
        }
        Path home = Path.of(System.getenv().getOrDefault("REDRESS_FAULTS_HOME", "local-run/target/fault-suite"))
                .toAbsolutePath();
        Path out = Path.of(option(argv, "--out", home.resolve("fault-table.md").toString()))
                .toAbsolutePath();
        Instant started = Instant.now();
        long deadline = System.nanoTime() + budget.toNanos();

        LocalRun run = LocalRun.startInOwnDirectory(home, "fault-suite", "REDRESS_FAULTS_HOME");

        Endpoints urls = new Endpoints(url(0), url(1), url(2), url(3));
        try (Load load = new Load(urls, run.tokens(), run.bootstrapServers(), rate);
                Checks checks = new Checks(urls, run.tokens(), run.bootstrapServers())) {
            FaultSuite suite = new FaultSuite(run, urls, load, checks);
            List<Faults.Fault> faults = new Faults(run, load, checks)
                    .all().stream()
                            .filter(f -> wanted.isEmpty() || wanted.contains(f.name()))
                            .toList();
            suite.play(faults, deadline);
            String command = "local-run/faults" + (args.length == 0 ? "" : " " + String.join(" ", args));
            String table = suite.table(command, started, rate);
            System.out.println();
            System.out.println(table);
            Files.createDirectories(out.getParent());
            Files.writeString(out, table + "\n");
            Files.writeString(out.resolveSibling("fault-problems.txt"), String.join("\n", suite.details) + "\n");
            say("table written to " + out + "; every problem found in " + out.resolveSibling("fault-problems.txt"));
            boolean held = suite.rows.stream().allMatch(Row::holds);
            say(held ? "every fault held" : "some faults did not hold: see the table");
            run.stop();
            System.exit(held ? 0 : 1);
        }
    }

    private void play(List<Faults.Fault> faults, long deadline) throws Exception {
        say("load: " + "steady complaints with interactions and resolutions; warming up");
        load.start();
        Thread.sleep(20_000);
        Load.Counts before = load.counts();
        Checks.Findings baseline = checks.settle(settled(), SETTLE_LIMIT);
        rows.add(row(
                "none",
                "baseline, before any fault",
                "-",
                refused(load.counts().minus(before)),
                baseline,
                0,
                "the system under load"));
        for (Faults.Fault f : faults) {
            if (System.nanoTime() + FAULT_BUDGET.toNanos() > deadline) {
                say(f.name() + ": skipped, the global deadline is near");
                rows.add(new Row(
                        f.name(), f.what(), "-", "-", 0, 0, 0, 0, "-", "SKIPPED: the global deadline was near"));
                continue;
            }
            Thread.sleep(BEFORE.toMillis());
            say(f.name() + ": " + f.what());
            Load.Counts atStart = load.counts();
            Faults.Applied applied;
            try {
                applied = f.apply();
            } catch (Exception e) {
                say(f.name() + ": could not be applied: " + e);
                rows.add(new Row(f.name(), f.what(), "-", "-", 0, 0, 0, 0, "-", "NOT APPLIED: " + e));
                continue;
            }
            long ended = System.nanoTime();
            say(f.name() + ": " + applied.note() + "; waiting for recovery");
            Set<String> notReady = recover(ended);
            Duration recovery = Duration.ofNanos(System.nanoTime() - ended);
            Load.Counts during = load.counts().minus(atStart);
            say(f.name() + ": "
                    + (notReady.isEmpty() ? "recovered in " + seconds(recovery) + " s" : "NOT recovered: " + notReady)
                    + "; checking");
            Checks.Findings found = checks.settle(settled(), SETTLE_LIMIT);
            List<String> afterwards = applied.afterwards().get();
            String notes = applied.note()
                    + (afterwards.isEmpty() ? "" : "; " + String.join("; ", afterwards))
                    + (notReady.isEmpty() ? "" : "; not ready without a human: " + notReady);
            Row row = row(
                    f.name(),
                    f.what(),
                    notReady.isEmpty() ? seconds(recovery) : "> " + RECOVERY_LIMIT.toSeconds(),
                    refused(during),
                    found,
                    notReady.size(),
                    notes);
            if (afterwards.size() > 1) {
                // Problems the fault's own check found (a poison record not dead-lettered) count as lost.
                row = new Row(
                        row.fault(),
                        row.what(),
                        row.recovery(),
                        row.refused(),
                        row.lost() + afterwards.size() - 1,
                        row.doubled(),
                        row.falseBreaches(),
                        row.manualSteps(),
                        row.verify(),
                        row.notes());
            }
            rows.add(row);
        }
        say("stopping the load; the last check covers every accepted complaint");
        load.stop();
        Load.Counts last = load.counts();
        Checks.Findings end = checks.settle(load.complaints(), SETTLE_LIMIT);
        rows.add(row(
                "end",
                "the load stopped, every accepted complaint checked",
                "-",
                "-",
                end,
                0,
                String.format(
                        "%d complaints accepted (%d CRITICAL), %d requests made, %d refused in all",
                        load.complaints().size(),
                        load.complaints().stream()
                                .filter(c -> "CRITICAL".equals(c.severity))
                                .count(),
                        last.requests(),
                        last.refused())));
    }

    /** The complaints whose script finished a while ago, so that their effects may be asked for. */
    private Collection<Load.Complaint> settled() {
        Instant before = Instant.now().minusSeconds(10);
        return load.complaints().stream()
                .filter(c -> c.done && c.acceptedAt.isBefore(before))
                .toList();
    }

    /**
     * Waits until every service answers ready and a new complaint reaches the audit log; what is still
     * not ready after {@link #RECOVERY_LIMIT} (a human would be needed).
     */
    private Set<String> recover(long since) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ApiClient api = new ApiClient(run.tokens(), Duration.ofSeconds(5));
        Set<String> notReady = new LinkedHashSet<>();
        while (System.nanoTime() - since < RECOVERY_LIMIT.toNanos()) {
            notReady.clear();
            for (LocalRun.Service s : LocalRun.SERVICES) {
                if (!ready(http, s.port())) {
                    notReady.add(s.name());
                }
            }
            if (notReady.isEmpty()) {
                Load.Complaint probe = load.submitNow();
                if (probe != null && reachesTheLog(api, probe.id, since)) {
                    return Set.of();
                }
                notReady.add("a new complaint does not reach the audit log");
            }
            Thread.sleep(1_000);
        }
        return notReady;
    }

    private boolean reachesTheLog(ApiClient api, String caseId, long since) throws InterruptedException {
        long until = Math.min(System.nanoTime() + TimeUnit.SECONDS.toNanos(30), since + RECOVERY_LIMIT.toNanos());
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> r = api.get(urls.audit(), "/audit/cases/" + caseId, "auditor");
                if (r.statusCode() == 200 && r.body().contains("redress.complaint.received")) {
                    return true;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            return LocalRun.healthy(http, port, "ready");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Row row(
            String fault,
            String what,
            String recovery,
            String refused,
            Checks.Findings f,
            int manualSteps,
            String notes) {
        Set<String> newDoubled = new LinkedHashSet<>(f.doubled());
        newDoubled.removeAll(reportedDoubled);
        reportedDoubled.addAll(newDoubled);
        Set<String> newFalse = new LinkedHashSet<>(f.falseBreaches());
        newFalse.removeAll(reportedFalse);
        reportedFalse.addAll(newFalse);
        List<String> problems = new ArrayList<>();
        f.lost().forEach(p -> problems.add("lost: " + p));
        newDoubled.forEach(p -> problems.add("doubled: " + p));
        newFalse.forEach(p -> problems.add("false breach: " + p));
        if (!f.verified()) {
            problems.add("/audit/verify: " + f.verify());
        }
        details.add("## " + fault + " (" + f.checked() + " complaints checked)");
        details.addAll(problems.isEmpty() ? List.of("nothing wrong") : problems);
        String shown = problems.stream()
                .limit(2)
                .map(p -> p.length() > 200 ? p.substring(0, 200) + "..." : p)
                .collect(Collectors.joining("; "));
        return new Row(
                fault,
                what,
                recovery,
                refused,
                f.lost().size(),
                newDoubled.size(),
                newFalse.size(),
                manualSteps,
                f.verified() ? "ok" : "FAILED",
                notes + " (" + f.checked() + " complaints checked)"
                        + (shown.isEmpty() ? "" : "; " + shown + (problems.size() > 2 ? "; ..." : "")));
    }

    private String table(String command, Instant started, double rate) {
        StringBuilder t = new StringBuilder();
        Duration took = Duration.between(started, Instant.now());
        t.append("Fault suite run of ")
                .append(LocalDate.ofInstant(started, ZoneOffset.UTC))
                .append(" (UTC), ")
                .append(String.format("%d min %d s", took.toMinutes(), took.toSecondsPart()))
                .append(", load ")
                .append(rate)
                .append(" complaints/s: `")
                .append(command)
                .append("`\n\n");
        t.append(
                "| fault | what | recovery (s) | refused / requests during it | lost | doubled | false breaches | manual steps | /audit/verify | notes |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            t.append("| ")
                    .append(String.join(
                            " | ",
                            r.fault(),
                            r.what(),
                            r.recovery(),
                            r.refused(),
                            String.valueOf(r.lost()),
                            String.valueOf(r.doubled()),
                            String.valueOf(r.falseBreaches()),
                            String.valueOf(r.manualSteps()),
                            r.verify(),
                            r.notes().replace("|", "\\|").replace("\n", " ")))
                    .append(" |\n");
        }
        return t.toString();
    }

    private static String refused(Load.Counts c) {
        return c.refused() + " / " + c.requests() + (c.unknown() > 0 ? " (" + c.unknown() + " unanswered)" : "");
    }

    private static String seconds(Duration d) {
        return String.format("%.1f", d.toMillis() / 1000.0);
    }

    private static String url(int service) {
        return "http://127.0.0.1:" + LocalRun.SERVICES.get(service).port();
    }

    private static String option(List<String> argv, String name, String fallback) {
        int i = argv.indexOf(name);
        return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : fallback;
    }

    private static void say(String s) {
        System.out.println("faults | " + s);
    }
}
