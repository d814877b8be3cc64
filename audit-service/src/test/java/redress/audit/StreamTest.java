package redress.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Severity;
import redress.events.Topics;

/** The live case stream as an EventSource client sees it: resume by Last-Event-ID, filters, slow clients. */
@QuarkusTest
class StreamTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    AuditLog log;

    record SseEvent(String id, String event, String data) {
    }

    /** Reads SSE events from a line stream as the EventSource algorithm does (id, event, data; blank line ends one). */
    static SseEvent nextEvent(Iterator<String> lines) {
        String id = null;
        String event = "message";
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    return new SseEvent(id, event, data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                default -> { }
            }
        }
        return null;
    }

    @Test
    void resumesFromLastEventIdWithNoGapAndFollowsLive() throws Exception {
        UUID caseId = UUID.randomUUID();
        String customer = "C-s-" + caseId;
        Events.publish(Events.received(caseId, customer, "billing", null, Severity.CRITICAL, java.time.Instant.now()));
        Events.publish(Events.interaction(caseId, customer, "first"));
        Events.publish(Events.interaction(caseId, customer, "second"));
        List<Long> seqs = Events.awaitHistory(caseId, 3).getList("history.seq", Long.class);

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/streams/cases?severity=CRITICAL"))
                .header("Accept", "text/event-stream").header("Last-Event-ID", String.valueOf(seqs.get(0))).build();
        HttpResponse<Stream<String>> resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        Iterator<String> lines = resp.body().iterator();
        List<SseEvent> mine = new ArrayList<>();
        while (mine.size() < 2) {
            SseEvent e = nextEvent(lines);
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
        SseEvent live;
        do {
            live = nextEvent(lines);
            assertTrue(!live.data().contains(low.toString()), "filtered out by severity");
        } while (!live.data().contains(caseId.toString()));
        assertTrue(live.data().contains("APOLOGY: third"));
        assertTrue(Long.parseLong(live.id()) > seqs.get(2));
        resp.body().close();
    }

    @Test
    void anIdleStreamSendsKeepAlives() throws Exception {
        HttpResponse<Stream<String>> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/streams/cases?type=redress.nothing.happens"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = resp.body().iterator();
        long start = System.nanoTime();
        String line = lines.next();
        assertTrue(line.startsWith(":"), "a comment line keeps the connection alive: " + line);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
        resp.body().close();
    }

    @Test
    void aSlowClientNeverSlowsTheLogAndIsDroppedWithAReason() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            slow.setSoTimeout(60_000);
            OutputStream out = slow.getOutputStream();
            out.write(("GET /streams/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // The client reads nothing while the log takes 2,000 entries: appends are not held up.
            UUID caseId = UUID.randomUUID();
            long start = System.nanoTime();
            for (int b = 0; b < 20; b++) {
                List<Received> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    CaseEvent e = Events.interaction(caseId, "C-slow", "x".repeat(200) + i);
                    batch.add(new Received(e, EventCodec.mapper().readTree(EventCodec.encode(e)), Topics.CASE_EVENTS));
                }
                assertEquals(100, log.append(batch));
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "appends were held up by the stream");

            // Now it reads: what was buffered, then a final event saying why it was dropped, then the end.
            InputStream in = slow.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(all.contains("event: dropped") || all.contains("event:dropped"), tail(all));
            assertTrue(all.contains("client too slow"), tail(all));
            assertTrue(all.contains("resumeAfter"), tail(all));
        }
    }

    private static String tail(String s) {
        return s.length() < 2000 ? s : s.substring(s.length() - 2000);
    }
}
