package redress.support;

import java.time.Duration;

/** Waiting between retries: doubling delays with a ceiling, and sleeps that respect interrupts. */
public final class Backoff {

    private Backoff() {}

    /** Twice {@code current}, at most {@code max}. */
    public static Duration doubled(Duration current, Duration max) {
        Duration next = current.multipliedBy(2);
        return next.compareTo(max) > 0 ? max : next;
    }

    /** Sleeps; an interrupt ends the wait early and stays set for the caller's loop to see. */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
