package redress.audit.verify;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

/**
 * Verifications that run in the background, one at a time per range: asking again for a range
 * that is being verified joins that run. Each one reports its progress while it runs and keeps
 * its report afterwards (in this replica's memory, the last {@code redress.verify.keep}).
 */
@ApplicationScoped
public class Verifications {

    /** What an auditor reads about a run. */
    public record View(
            String id,
            String state,
            Long fromSeq,
            Long toSeq,
            Instant startedAt,
            Instant finishedAt,
            long entriesChecked,
            long entriesTotal,
            double rate,
            Long estimatedSecondsLeft,
            Verifier.Report report,
            String error) {}

    private record Range(Long fromSeq, Long toSeq) {}

    private static final class Run {
        final String id = UUID.randomUUID().toString();
        final Range range;
        final Instant startedAt;
        final long startNanos = System.nanoTime();
        volatile long entriesTotal;
        volatile long checked;
        volatile String state = "running";
        volatile Instant finishedAt;
        volatile Verifier.Report report;
        volatile String error;

        Run(Range range, Instant startedAt) {
            this.range = range;
            this.startedAt = startedAt;
        }

        View view() {
            double seconds =
                    Math.max(1e-3, ((finishedAt == null ? System.nanoTime() : finishedNanos) - startNanos) / 1e9);
            double rate = Math.round(checked / seconds * 10) / 10.0;
            Long left = !"running".equals(state)
                    ? Long.valueOf(0)
                    : rate <= 0 ? null : Long.valueOf((long) Math.ceil(Math.max(0, entriesTotal - checked) / rate));
            return new View(
                    id,
                    state,
                    range.fromSeq(),
                    range.toSeq(),
                    startedAt,
                    finishedAt,
                    checked,
                    entriesTotal,
                    rate,
                    left,
                    report,
                    error);
        }

        volatile long finishedNanos;
    }

    private final Clock clock;
    private final Verifier verifier;
    private final VerifyConfig config;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<Range, Run> running = new ConcurrentHashMap<>();
    private final Deque<String> finished = new ArrayDeque<>();
    private final ExecutorService workers;

    public Verifications(Verifier verifier, VerifyConfig config, Clock clock) {
        this.clock = clock;
        this.verifier = verifier;
        this.config = config;
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.concurrent()), r -> {
            Thread t = new Thread(r, "verification");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** Starts verifying the range, or returns the run already verifying it. */
    public View start(Long fromSeq, Long toSeq) throws SQLException {
        Range range = new Range(fromSeq, toSeq);
        long head = verifier.head();
        long from = fromSeq == null ? 1 : fromSeq;
        long total = Math.max(0, (toSeq == null ? head : Math.min(toSeq, head)) - from + 1);
        Run[] created = new Run[1];
        Run run = running.computeIfAbsent(range, r -> {
            Run n = new Run(r, Instant.now(clock));
            n.entriesTotal = total;
            runs.put(n.id, n);
            created[0] = n;
            return n;
        });
        if (created[0] != null) {
            View first = run.view();
            workers.execute(() -> execute(run));
            return first;
        }
        return run.view();
    }

    public View get(String id) {
        Run r = runs.get(id);
        return r == null ? null : r.view();
    }

    private void execute(Run run) {
        String state = "failed";
        try {
            Verifier.Report report = verifier.verify(run.range.fromSeq(), run.range.toSeq(), n -> run.checked = n);
            run.checked = report.entriesChecked();
            run.report = report;
            if (report.entriesChecked() > run.entriesTotal) {
                run.entriesTotal = report.entriesChecked(); // the log grew while it ran
            }
            state = "done";
            Log.infof(
                    "verification %s done: ok=%s, %d entries in %s",
                    run.id, report.ok(), report.entriesChecked(), Duration.ofNanos(System.nanoTime() - run.startNanos));
        } catch (Exception e) {
            Log.errorf(e, "verification %s failed", run.id);
            run.error = "the verification could not be completed: "
                    + Objects.requireNonNullElse(e.getMessage(), e.toString());
        } finally {
            run.finishedNanos = System.nanoTime();
            run.finishedAt = Instant.now(clock);
            run.state = state;
            running.remove(run.range, run);
            synchronized (finished) {
                finished.addLast(run.id);
                while (finished.size() > config.keep()) {
                    runs.remove(finished.removeFirst());
                }
            }
        }
    }
}
