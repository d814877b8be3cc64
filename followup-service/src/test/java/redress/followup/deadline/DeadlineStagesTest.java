package redress.followup.deadline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A deadline's stages, on plain state: warnings at fractions of the time allowed, then the due time. */
class DeadlineStagesTest {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final List<Double> WARN = List.of(0.5, 0.8);

    static Deadline deadline(long allowedSeconds) {
        Deadline d = new Deadline();
        d.id = UUID.randomUUID();
        d.startedAt = START;
        d.dueAt = START.plusSeconds(allowedSeconds);
        d.allowedSeconds = allowedSeconds;
        d.state = Deadline.PENDING;
        d.rearmWake(WARN);
        return d;
    }

    @Test
    void eachStageInTurnAndTheNextWakeAtTheNextStage() {
        Deadline d = deadline(1000);
        assertEquals(START.plusSeconds(500), d.nextAt);
        assertEquals(Deadline.Stage.NONE, d.fire(START.plusSeconds(499), WARN, true));
        assertEquals(Deadline.Stage.WARNING, d.fire(START.plusSeconds(500), WARN, true));
        assertEquals(START.plusSeconds(800), d.nextAt);
        assertEquals(Deadline.Stage.NONE, d.fire(START.plusSeconds(700), WARN, true), "no second warning before 80%");
        assertEquals(Deadline.Stage.WARNING, d.fire(START.plusSeconds(800), WARN, true));
        assertEquals(START.plusSeconds(1000), d.nextAt);
        assertEquals(Deadline.Stage.BREACH, d.fire(START.plusSeconds(1000), WARN, true));
        assertEquals(Deadline.BREACHED, d.state);
        assertNull(d.nextAt);
        assertEquals(Deadline.Stage.NONE, d.fire(START.plusSeconds(5000), WARN, true), "fires once");
    }

    @Test
    void afterAnOutageOnlyTheLatestStage() {
        Deadline late = deadline(1000);
        assertEquals(
                Deadline.Stage.BREACH, late.fire(START.plusSeconds(9999), WARN, true), "no warning after its breach");
        assertEquals(0, late.warningsSent);

        Deadline both = deadline(1000);
        assertEquals(Deadline.Stage.WARNING, both.fire(START.plusSeconds(900), WARN, true));
        assertEquals(2, both.warningsSent, "one warning announced for both stages passed");
        assertEquals(Deadline.Stage.NONE, both.fire(START.plusSeconds(950), WARN, true));
    }

    @Test
    void aWindowIsMissedNotBreachedAndAPausedOneDoesNotFire() {
        Deadline window = deadline(100);
        assertEquals(Deadline.Stage.MISSED, window.fire(START.plusSeconds(100), List.of(), false));
        assertEquals(Deadline.MISSED, window.state);

        Deadline paused = deadline(100);
        paused.pausedAt = START.plusSeconds(10);
        assertEquals(Deadline.Stage.NONE, paused.fire(START.plusSeconds(500), WARN, true));
        assertEquals(Deadline.PENDING, paused.state);
        assertNull(paused.nextAt);
    }
}
