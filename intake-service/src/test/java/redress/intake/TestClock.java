package redress.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

/**
 * The service's clock in tests: replaces the default system clock (it is a bean of type Clock),
 * so a test moves time instead of waiting. Until set, it is the system clock.
 */
@Singleton
public class TestClock extends Clock {

    private final AtomicReference<Instant> now = new AtomicReference<>();

    public void set(Instant instant) {
        now.set(instant);
    }

    public void advance(Duration d) {
        now.updateAndGet(n -> (n == null ? Instant.now() : n).plus(d));
    }

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

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
