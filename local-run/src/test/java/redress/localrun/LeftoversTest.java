package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** What an earlier run left running is stopped only if it is still the process that run started. */
class LeftoversTest {

    @Test
    void aPidGivenToAnotherProcessSinceIsLeftAloneAndTheRecordedOneIsStopped() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            String started = p.info().startInstant().orElseThrow().toString();
            LocalRun.stopIfRunning(p.pid(), "2000-01-01T00:00:00Z", "sleep");
            assertTrue(p.isAlive(), "another start time: another process, left alone");
            LocalRun.stopIfRunning(p.pid(), started, "quarkus-run.jar");
            assertTrue(p.isAlive(), "another command: left alone");
            LocalRun.stopIfRunning(p.pid(), started, "sleep");
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertFalse(p.isAlive());
        } finally {
            p.destroyForcibly();
        }
    }
}
