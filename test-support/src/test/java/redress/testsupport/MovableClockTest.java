package redress.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class MovableClockTest {

    @Test
    void standsWhereItIsSetAndMovesWhenAdvanced() {
        MovableClock clock = new MovableClock();
        Instant t = Instant.parse("2026-06-01T10:00:00Z");
        clock.set(t);
        assertEquals(t, clock.instant());
        assertEquals(t, clock.instant(), "it does not run on by itself");
        clock.advance(Duration.ofMinutes(90));
        assertEquals(t.plus(Duration.ofMinutes(90)), clock.instant());
        assertEquals(t.plus(Duration.ofMinutes(90)).toEpochMilli(), clock.millis());
    }

    @Test
    void isTheSystemClockUntilSetAndAfterReset() {
        MovableClock clock = new MovableClock();
        Instant before = Instant.now();
        Instant read = clock.instant();
        assertFalse(read.isBefore(before));
        assertTrue(read.isBefore(Instant.now().plusSeconds(1)));

        clock.set(Instant.parse("2000-01-01T00:00:00Z"));
        clock.reset();
        assertFalse(clock.instant().isBefore(before), "back to the system time");
    }

    @Test
    void advancingAnUnsetClockStartsFromTheSystemTime() {
        MovableClock clock = new MovableClock();
        Instant before = Instant.now();
        clock.advance(Duration.ofDays(1));
        assertFalse(clock.instant().isBefore(before.plus(Duration.ofDays(1))));
        assertTrue(
                clock.instant().isBefore(Instant.now().plus(Duration.ofDays(1)).plusSeconds(1)));
    }

    @Test
    void isUtcWhateverZoneIsAskedFor() {
        MovableClock clock = new MovableClock();
        assertEquals(ZoneOffset.UTC, clock.getZone());
        assertSame(clock, clock.withZone(ZoneId.of("Europe/London")));
    }
}
