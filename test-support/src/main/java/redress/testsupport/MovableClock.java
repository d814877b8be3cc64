package redress.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves instead of waiting: until {@link #set} (or {@link #advance}) it is the
 * system clock, afterwards it stands where it was put. Safe to move from the test while the
 * service reads it on other threads. Always UTC.
 *
 * <p>Not a bean by itself: a service's tests subclass it as a bean of type {@link Clock}, which
 * replaces the service's default system clock.
 */
public class MovableClock extends Clock {

    private final AtomicReference<Instant> now = new AtomicReference<>();

    /** Stops the clock at {@code instant}. */
    public void set(Instant instant) {
        now.set(instant);
    }

    /** Moves the clock on by {@code d}, from where it stands (from the system time if it was never set). */
    public void advance(Duration d) {
        now.updateAndGet(n -> (n == null ? Instant.now() : n).plus(d));
    }

    /** Back to the system clock. */
    public void reset() {
        now.set(null);
    }

    @Override
    public Instant instant() {
        Instant n = now.get();
        return n == null ? Instant.now() : n;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock itself: the services read instants, never zones, and a copy would not move with it. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
