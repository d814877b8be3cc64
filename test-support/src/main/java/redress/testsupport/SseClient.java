package redress.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An EventSource-like test client whose every wait is bounded: lines arrive on the HTTP client's
 * own threads into a queue, and each read gives up (failing the test) after a deadline, so a
 * broken stream fails the test (an {@link AssertionError}) instead of hanging the build.
 */
public final class SseClient implements AutoCloseable {

    /** A complete event, or a comment line (event "comment", the text after the colon in data). */
    public record SseEvent(String id, String event, String data) {}

    private static final String END = "\u0000end";
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public final int status;
    public final HttpResponse<InputStream> response;
    private final BlockingQueue<String> lines;

    private SseClient(HttpResponse<InputStream> response, BlockingQueue<String> lines) {
        this.status = response.statusCode();
        this.response = response;
        this.lines = lines;
    }

    /** Opens the stream on 127.0.0.1; the response headers must come within 10 s. */
    public static SseClient open(int port, String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "text/event-stream");
        headers.forEach(b::header);
        HttpResponse<InputStream> resp = HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(15, TimeUnit.SECONDS);
        BlockingQueue<String> sink = new LinkedBlockingQueue<>();
        // Lines are read on a thread of their own, so that the test waits on the queue with a deadline.
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                        for (String l = r.readLine(); l != null; l = r.readLine()) {
                            sink.add(l);
                        }
                    } catch (IOException e) {
                        // closed by the test or by the server: the end of the stream
                    } finally {
                        sink.add(END);
                    }
                },
                "sse-test-client");
        reader.setDaemon(true);
        reader.start();
        return new SseClient(resp, sink);
    }

    /** The next line, or a test failure after {@code within}; null when the stream ended. */
    public String nextLine(Duration within) throws InterruptedException {
        String l = lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (l == null) {
            throw new AssertionError("no line from the stream within " + within);
        }
        return END.equals(l) ? null : l;
    }

    /**
     * The next event (comments are skipped unless {@code comments}), as the EventSource algorithm
     * reads it; fails the test when nothing complete arrives within {@code within}; null at the end.
     */
    public SseEvent next(Duration within, boolean comments) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String id = null;
        String event = "message";
        StringBuilder data = new StringBuilder();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no complete event from the stream within " + within);
            }
            String line = nextLine(Duration.ofNanos(left));
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    return new SseEvent(id, event, data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                if (comments) {
                    return new SseEvent(null, "comment", line.substring(1).trim());
                }
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                default -> {}
            }
        }
    }

    public SseEvent next(Duration within) throws InterruptedException {
        return next(within, false);
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
    }
}
