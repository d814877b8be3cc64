package redress.localrun;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the local run waits before restarting a service that failed again: the first restart
 * at once, then twice as long after each failure that follows a short life (up to a cap), and at
 * once again after the service had stayed up a while. A service that cannot start (a broken
 * configuration, a port taken) is then retried every few minutes, not every five seconds for ever.
 */
final class RestartBackoff {

    static final Duration FIRST = Duration.ofSeconds(5);
    static final Duration CAP = Duration.ofMinutes(5);
    /** A service that ran this long before failing is restarted at once, as after its first failure. */
    static final Duration STABLE = Duration.ofMinutes(2);

    private int failuresInARow;
    private Instant notBefore = Instant.MIN;
    private Instant startedAt = Instant.MIN;

    /** The service failed at {@code now}: when the next restart may happen. */
    Instant failed(Instant now) {
        failuresInARow = Duration.between(startedAt, now).compareTo(STABLE) >= 0 ? 1 : failuresInARow + 1;
        Duration wait = failuresInARow <= 1
                ? Duration.ZERO
                : min(FIRST.multipliedBy(1L << Math.min(failuresInARow - 2, 16)), CAP);
        notBefore = now.plus(wait);
        return notBefore;
    }

    /** Whether a restart may happen at {@code now}. */
    boolean due(Instant now) {
        return !now.isBefore(notBefore);
    }

    /** The service was (re)started at {@code now}. */
    void started(Instant now) {
        startedAt = now;
    }

    int failuresInARow() {
        return failuresInARow;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
