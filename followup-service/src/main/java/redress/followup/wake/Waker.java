package redress.followup.wake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import redress.followup.calendar.Calendars;
import redress.support.time.Clocks;

/**
 * Wakes what is due. Every poll interval (and on {@link #wakeNow}), for each {@link Wakeable}, it
 * fires due rows a batch per transaction until a batch comes back short. The rows hold the truth;
 * this only looks at {@code next_at}. Replicas share the work through {@code SKIP LOCKED}; a
 * transaction cut by a crash fires nothing, and the rows are due again at the next pass.
 * <p>
 * "Due" means due by the time up to which the consumers have read every partition
 * ({@link ReadThrough}), never merely by the clock: right after a start, or while a consumer is
 * paused or behind, what it has not read yet could still meet the deadline, so nothing due after
 * that time is fired.
 */
@ApplicationScoped
public class Waker {

    @ConfigMapping(prefix = "redress.followup.waker")
    public interface WakerConfig {
        /** How often due rows are looked for. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Rows fired in one transaction. */
        @WithDefault("500")
        int batchSize();

        /**
         * How long after the read-through time a due time is still held back: the outbox relay's
         * usual delay between an event's own time and its record reaching the topic, so that a
         * deadline met a moment before it was due is not announced breached and then corrected.
         */
        @WithDefault("2s")
        Duration grace();

        /** Off in tests that move the clock and wake by hand. */
        @WithDefault("true")
        boolean enabled();
    }

    private final List<Wakeable> wakeables;
    private final ReadThrough readThrough;
    private final Calendars calendars;
    private final WakerConfig config;
    private final Clock clock;
    private final Counter fired;
    private final Counter failures;
    private ScheduledExecutorService executor;

    public Waker(
            Instance<Wakeable> wakeables,
            ReadThrough readThrough,
            Calendars calendars,
            WakerConfig config,
            Clock clock,
            MeterRegistry registry) {
        this.wakeables = wakeables.stream().toList();
        this.readThrough = readThrough;
        this.calendars = calendars;
        this.config = config;
        this.clock = clock;
        this.fired = registry.counter("redress_followup_woken_total");
        this.failures = registry.counter("redress_followup_wake_failures_total");
    }

    void start(@Observes StartupEvent e) {
        if (!config.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "followup-waker");
            t.setDaemon(true);
            return t;
        });
        long ms = config.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::pass, ms, ms, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pass() {
        try {
            wakeNow();
        } catch (RuntimeException ex) {
            failures.increment();
            Log.warnf(ex, "waking due items failed; trying again in %s", config.pollInterval());
        }
    }

    /**
     * Fires everything due by now and read through; returns how many rows were looked at (none when
     * how far the consumers have read cannot be told).
     */
    public int wakeNow() {
        Instant read = readThrough.now().orElse(null);
        if (read == null) {
            return 0;
        }
        Instant through = read.minus(config.grace());
        int total = 0;
        for (Wakeable w : wakeables) {
            int n;
            do {
                Instant now = Clocks.now(clock);
                Instant upTo = through.isBefore(now) ? through : now;
                n = QuarkusTransaction.requiringNew().call(() -> {
                    // Before the due rows are locked: a calendar change recomputing them waits for
                    // this batch, not the other way round (Calendars).
                    calendars.holdSteady();
                    return w.fireDue(upTo, config.batchSize());
                });
                total += n;
                fired.increment(n);
            } while (n >= config.batchSize());
        }
        return total;
    }
}
