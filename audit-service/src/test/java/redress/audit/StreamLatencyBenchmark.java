package redress.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;
import redress.events.CaseEvent;
import redress.events.Topics;
import redress.testsupport.SseClient;

/**
 * Latency from the log's append to the SSE event on an open {@code /streams/cases}: one entry per
 * append at {@code bench.rate} appends/s (50, as complaints arrive) for {@code bench.seconds}, with
 * {@code bench.clients} stream clients open; the first client's receive times are measured. Not a
 * test: run it by name (docs/performance.md).
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class StreamLatencyBenchmark {

    static final int RATE = Integer.getInteger("bench.rate", 50);
    static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int CLIENTS = Integer.getInteger("bench.clients", 10);
    static final Pattern MARK = Pattern.compile("latency-mark-([0-9]+)");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    AuditLog log;

    @Test
    void appendToSseEvent() throws Exception {
        List<SseClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(SseClient.open(port, "/streams/cases", Map.of()));
        }
        int n = RATE * SECONDS;
        long[] called = new long[n];
        long[] committed = new long[n];
        Map<Integer, Long> received = new ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            try {
                while (received.size() < n) {
                    SseClient.SseEvent e = clients.get(0).next(Duration.ofSeconds(30));
                    if (e == null) {
                        return;
                    }
                    long now = System.nanoTime();
                    Matcher m = MARK.matcher(e.data());
                    if (m.find()) {
                        received.put(Integer.parseInt(m.group(1)), now);
                    }
                }
            } catch (Throwable t) {
                t.printStackTrace();
            }
        });
        reader.start();
        // Other clients read too, so that the fan-out serves all of them.
        for (SseClient c : clients.subList(1, clients.size())) {
            Thread t = new Thread(() -> {
                try {
                    while (c.next(Duration.ofSeconds(30)) != null) {
                        // drained
                    }
                } catch (Throwable ignored) {
                    // closed at the end
                }
            });
            t.setDaemon(true);
            t.start();
        }
        UUID caseId = UUID.randomUUID();
        long interval = 1_000_000_000L / RATE;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            CaseEvent e = Events.interaction(caseId, "C-lat", "latency-mark-" + i);
            List<Received> batch = List.of(Received.encoded(e, Topics.CASE_EVENTS));
            called[i] = System.nanoTime();
            log.append(batch);
            committed[i] = System.nanoTime();
        }
        reader.join(60_000);
        clients.forEach(SseClient::close);

        long[] fromCall = new long[received.size()];
        long[] fromCommit = new long[received.size()];
        int k = 0;
        for (Map.Entry<Integer, Long> r : received.entrySet()) {
            fromCall[k] = r.getValue() - called[r.getKey()];
            fromCommit[k++] = r.getValue() - committed[r.getKey()];
        }
        Arrays.sort(fromCall);
        Arrays.sort(fromCommit);
        String report = String.format(
                "append -> SSE event, %d appends at %d/s, %d stream clients, %d cores%n"
                        + "received %d of %d%n"
                        + "from the append call: p50 %.1f ms  p99 %.1f ms  max %.1f ms%n"
                        + "from the commit:      p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                n,
                RATE,
                CLIENTS,
                Runtime.getRuntime().availableProcessors(),
                received.size(),
                n,
                pct(fromCall, 0.50),
                pct(fromCall, 0.99),
                pct(fromCall, 1.0),
                pct(fromCommit, 0.50),
                pct(fromCommit, 0.99),
                pct(fromCommit, 1.0));
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-stream-latency.txt"), report);
        if (received.size() < n) {
            throw new AssertionError("events missing from the stream: " + report);
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }
}
