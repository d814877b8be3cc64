package redress.support.time;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The one clock every service reads time from: inject {@link Clock} (never {@code Instant.now()}),
 * so tests can move time by providing their own {@code Clock} bean, which replaces this default.
 */
@Singleton
public class Clocks {

    @Produces
    @Singleton
    @DefaultBean
    Clock systemClock() {
        return Clock.systemUTC();
    }

    /** Now, to the microsecond: what PostgreSQL's timestamptz keeps, so a stored time reads back equal. */
    public static Instant now(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
