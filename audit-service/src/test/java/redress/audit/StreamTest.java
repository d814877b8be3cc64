package redress.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;
import redress.events.Severity;
import redress.testsupport.SseClient;

/**
 * The live case stream as an EventSource client sees it: resume by Last-Event-ID, filters, slow
 * clients. Every read has a deadline (SseClient, socket timeouts): a broken stream fails, never hangs.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class StreamTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    AuditLog log;

    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void resumesFromLastEventIdWithNoGapAndFollowsLive() throws Exception {
        UUID caseId = UUID.randomUUID();
        String customer = "C-s-" + caseId;
        Events.publish(Events.received(caseId, customer, "billing", null, Severity.CRITICAL, java.time.Instant.now()));
        Events.publish(Events.interaction(caseId, customer, "first"));
        Events.publish(Events.interaction(caseId, customer, "second"));
        List<Long> seqs = Events.awaitHistory(caseId, 3).getList("history.seq", Long.class);

        try (SseClient sse = SseClient.open(
                port, "/streams/cases?severity=CRITICAL", Map.of("Last-Event-ID", String.valueOf(seqs.get(0))))) {
            assertEquals(200, sse.status);
            assertTrue(
                    sse.response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            List<SseClient.SseEvent> mine = new ArrayList<>();
            while (mine.size() < 2) {
                SseClient.SseEvent e = sse.next(WAIT);
                assertNotNull(e, "the stream ended early");
                if (e.data().contains(caseId.toString())) {
                    mine.add(e);
                }
            }
            assertEquals(String.valueOf(seqs.get(1)), mine.get(0).id());
            assertEquals(String.valueOf(seqs.get(2)), mine.get(1).id());
            assertEquals("message", mine.get(0).event(), "a plain message, for any EventSource's onmessage");
            assertTrue(mine.get(0).data().contains("\"type\":\"redress.interaction.recorded\""));
            assertTrue(mine.get(0).data().contains("\"severity\":\"CRITICAL\""));
            assertTrue(mine.get(0).data().contains("APOLOGY: first"));

            // Live: a new event arrives on the open stream; an event of a LOW case does not.
            UUID low = UUID.randomUUID();
            Events.publish(Events.received(low, customer, "billing", null, Severity.LOW, java.time.Instant.now()));
            Events.publish(Events.interaction(caseId, customer, "third"));
            SseClient.SseEvent live;
            do {
                live = sse.next(WAIT);
                assertNotNull(live, "the stream ended early");
                assertTrue(!live.data().contains(low.toString()), "filtered out by severity");
            } while (!live.data().contains(caseId.toString()));
            assertTrue(live.data().contains("APOLOGY: third"));
            assertTrue(Long.parseLong(live.id()) > seqs.get(2));
        }
    }

    /**
     * A client resuming from far back is replayed from the database while the log keeps growing,
     * then joins the live stream: every sequence number exactly once, in order.
     */
    @Test
    void aResumeFromFarBackReplaysThenJoinsLiveWithoutGapOrDuplicate() throws Exception {
        UUID caseId = UUID.randomUUID();
        append(caseId, 250);
        long head = Events.awaitHistory(caseId, 250)
                .getList("history.seq", Long.class)
                .get(249);
        long from = head - 250;
        try (SseClient sse = SseClient.open(port, "/streams/cases", Map.of("Last-Event-ID", String.valueOf(from)))) {
            assertEquals(200, sse.status);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 10; i++) {
                        append(caseId, 20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            // The history polls above are auditors' reads, in the log but never on the stream.
            List<Long> got = new ArrayList<>();
            long last = from;
            while (last < head + 200) {
                SseClient.SseEvent e = sse.next(WAIT);
                assertNotNull(e, "the stream ended after " + last);
                assertEquals("message", e.event(), e.data());
                long id = Long.parseLong(e.id());
                assertTrue(id > last, "in order, no duplicate: " + id + " after " + last);
                got.add(id);
                last = id;
            }
            writer.join(WAIT.toMillis());
            assertEquals(seqsOtherThanReads(from, last), got, "no gap");
        }
    }

    @Inject
    javax.sql.DataSource dataSource;

    private List<Long> seqsOtherThanReads(long after, long upTo) throws java.sql.SQLException {
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement(
                        "SELECT seq FROM audit_entry WHERE seq > ? AND seq <= ? AND event_type <> ? ORDER BY seq")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            ps.setString(3, Events.READ);
            List<Long> seqs = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
            return seqs;
        }
    }

    private void append(UUID caseId, int n) throws Exception {
        List<Received> batch = Events.interactions(caseId, "C-r", "resume ", n);
        assertEquals(n, log.append(batch));
    }

    @Test
    void anIdleStreamSendsKeepAlives() throws Exception {
        try (SseClient sse = SseClient.open(port, "/streams/cases?type=redress.nothing.happens", Map.of())) {
            long start = System.nanoTime();
            SseClient.SseEvent e = sse.next(WAIT, true);
            assertNotNull(e, "the stream ended");
            assertEquals("comment", e.event(), "a comment line keeps the connection alive: " + e);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
        }
    }

    @Test
    void aSlowClientNeverSlowsTheLogAndIsDroppedWithAReason() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            slow.setSoTimeout(60_000);
            OutputStream out = slow.getOutputStream();
            out.write(("GET /streams/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // The client reads nothing while the log takes 2,000 entries: appends are not held up.
            UUID caseId = UUID.randomUUID();
            long start = System.nanoTime();
            for (int b = 0; b < 20; b++) {
                List<Received> batch = Events.interactions(caseId, "C-slow", "x".repeat(200), 100);
                assertEquals(100, log.append(batch));
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "appends were held up by the stream");

            // Now it reads: what was buffered, then a final event saying why it was dropped, then the end.
            String all = readToEnd(slow, Duration.ofSeconds(60));
            assertTrue(all.contains("event: dropped") || all.contains("event:dropped"), tail(all));
            assertTrue(all.contains("client too slow"), tail(all));
            assertTrue(all.contains("resumeAfter"), tail(all));
        }
    }

    /** Everything until the server closes the stream; fails if it has not within {@code within}. */
    static String readToEnd(Socket socket, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        socket.setSoTimeout(1_000);
        InputStream in = socket.getInputStream();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                return all.toString(StandardCharsets.UTF_8);
            }
            all.write(buf, 0, n);
        }
        throw new AssertionError("the server did not end the stream within " + within + ": "
                + tail(all.toString(StandardCharsets.UTF_8)));
    }

    private static String tail(String s) {
        return s.length() < 2000 ? s : s.substring(s.length() - 2000);
    }
}
