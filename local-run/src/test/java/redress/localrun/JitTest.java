package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code REDRESS_JIT=c1} starts the broker, intake-service, escalation-service and followup-service
 * with the client compiler alone, and audit-service, whose SHA-256 needs the optimising compiler,
 * with the JVM's full JIT; {@code tiered}, the default, gives every part the full JIT
 * (docs/performance.md, "Eleventh round").
 */
class JitTest {

    @Test
    void withC1EveryPartButAuditServiceIsCompiledByTheClientCompilerAlone() {
        for (String part : List.of("kafka", "intake-service", "escalation-service", "followup-service")) {
            assertEquals(List.of("-XX:TieredStopAtLevel=1"), LocalRun.jit(part, "c1"), part);
            assertEquals(List.of(), LocalRun.jit(part, "tiered"), part);
        }
        assertEquals(List.of(), LocalRun.jit("audit-service", "c1"), "audit-service keeps C2's SHA-256");
        assertEquals(List.of(), LocalRun.jit("audit-service", "tiered"));
        assertEquals(List.of(), LocalRun.jit("intake-service"), "tiered unless REDRESS_JIT says otherwise");
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> LocalRun.jit("intake-service", "C2 please"));
        assertTrue(refused.getMessage().contains("REDRESS_JIT"), refused.getMessage());
    }

    @Test
    void theJvmTheServicesRunOnTakesTheOption() throws Exception {
        List<String> command = new ArrayList<>(List.of(LocalRun.javaBin()));
        command.addAll(LocalRun.jit("escalation-service", "c1"));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Path output = Files.createTempFile("jit", ".txt");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the JVM did not answer within 30 s");
            }
            String out = Files.readString(output);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("\\s*intx TieredStopAtLevel\\s+= 1\\s.*")), out);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
