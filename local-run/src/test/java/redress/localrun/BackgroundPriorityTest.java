package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The broker, escalation-service and followup-service start at a lower CPU priority than
 * intake-service and audit-service, whose answers people wait for (docs/performance.md, "The POST
 * path first").
 */
class BackgroundPriorityTest {

    @Test
    void anAsynchronousPartRunsAtTheBackgroundNicenessAndTheServicesWaitedOnAtTheirOwn() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs /proc to read a process's niceness");
        assertEquals(
                Set.of("intake-service", "audit-service"),
                LocalRun.WAITED_ON,
                "the services answered first; the others are the background");
        assertEquals(List.of(), LocalRun.background(false), "a service waited on: started as the runner is");
        int own = niceness(ProcessHandle.current().pid());

        List<String> command = new ArrayList<>(LocalRun.background(true));
        command.addAll(List.of("sleep", "30"));
        Process p = new ProcessBuilder(command).start();
        try {
            // nice executes the command in its own process: the pid is the command's.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"))
                    .startsWith("sleep")) {
                assertTrue(System.nanoTime() < deadline, "nice did not start the command within 10 s");
                Thread.sleep(20);
            }
            int expected = Math.min(19, own + LocalRun.BACKGROUND_NICE);
            assertEquals(expected, niceness(p.pid()));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The niceness, field 19 of /proc/{pid}/stat (counted after the command name's closing parenthesis). */
    static int niceness(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[16]);
    }
}
