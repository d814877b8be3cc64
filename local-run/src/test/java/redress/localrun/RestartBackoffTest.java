package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aServiceThatKeepsFailingIsRestartedLessAndLessOftenUpToACap() {
        RestartBackoff b = new RestartBackoff();
        b.started(T0);
        Instant now = T0.plusSeconds(10);
        assertEquals(now, b.failed(now), "the first failure: at once");
        Duration[] expected = {
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40),
            Duration.ofSeconds(80),
            Duration.ofSeconds(160),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5)
        };
        for (Duration wait : expected) {
            b.started(now);
            now = now.plusSeconds(3);
            Instant next = b.failed(now);
            assertEquals(wait, Duration.between(now, next));
            assertFalse(b.due(next.minusMillis(1)));
            assertTrue(b.due(next));
            now = next;
        }
    }

    @Test
    void aServiceThatStayedUpAWhileIsRestartedAtOnce() {
        RestartBackoff b = new RestartBackoff();
        Instant now = T0;
        for (int i = 0; i < 5; i++) {
            b.started(now);
            now = b.failed(now.plusSeconds(1));
        }
        b.started(now);
        Instant later = now.plus(RestartBackoff.STABLE);
        assertEquals(later, b.failed(later));
        assertEquals(1, b.failuresInARow());
    }
}
