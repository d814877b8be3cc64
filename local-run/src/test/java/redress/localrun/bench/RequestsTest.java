package redress.localrun.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** Every answer a benchmark client gets is counted by its status, refusals and failures included. */
class RequestsTest {

    private HttpServer server;
    private String base;
    private final HttpClient http = Requests.http();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // /status/<code> answers that status with no body.
        server.createContext("/status/", x -> {
            x.sendResponseHeaders(Integer.parseInt(x.getRequestURI().getPath().substring(8)), -1);
            x.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void refusalsAndRequestsWithoutAnswerAreCountedByStatusAndOnlyAcceptedOnesAreTimed() throws Exception {
        Requests one = new Requests();
        assertTrue(send(one, "read", 200, "/status/200"));
        assertFalse(send(one, "read", 200, "/status/404"));
        assertFalse(send(one, "read", 200, "/status/409"));
        assertTrue(send(one, "write", 201, "/status/201"));
        Requests other = new Requests();
        assertFalse(send(other, "write", 201, "/status/500"));
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertFalse(other.send(
                        http,
                        "read",
                        200,
                        Requests.signed(URI.create("http://127.0.0.1:" + closed + "/x"), "t")
                                .GET()
                                .build())
                .isPresent());

        List<Requests.Kind> kinds = Requests.merge(List.of(one, other));
        assertEquals(
                List.of("read", "write"),
                kinds.stream().map(Requests.Kind::name).toList());
        Requests.Kind read = kinds.get(0);
        assertEquals(Map.of(Requests.NO_ANSWER, 1L, 200, 1L, 404, 1L, 409, 1L), read.statuses());
        assertEquals(1, read.accepted());
        assertEquals(3, read.refused());
        assertEquals(1, read.latenciesNanos().length, "only the accepted answer is timed");
        assertEquals("no answer ×1, 200 ×1, 404 ×1, 409 ×1", read.answers());
        assertEquals("no answer ×1, 404 ×1, 409 ×1", read.refusals());
        Requests.Kind write = kinds.get(1);
        assertEquals(1, write.accepted());
        assertEquals("500 ×1", write.refusals());
    }

    @Test
    void aWindowCountsComplaintsFromTheSubmissionsOnlyAndTwoWindowsAddUp() throws Exception {
        Requests first = new Requests();
        send(first, Submitters.SUBMIT, 201, "/status/201");
        send(first, Submitters.SUBMIT, 201, "/status/429");
        send(first, CaseLife.RESOLVE, 200, "/status/200");
        Requests second = new Requests();
        send(second, CaseLife.RESOLVE, 200, "/status/409");
        send(second, Submitters.SUBMIT, 201, "/status/201");

        Submitters.Window a = new Submitters.Window(Requests.merge(List.of(first)), Duration.ofSeconds(1));
        Submitters.Window b = new Submitters.Window(Requests.merge(List.of(second)), Duration.ofSeconds(1));
        Submitters.Window both = a.plus(b);
        assertEquals(2, both.accepted());
        assertEquals(1, both.refused());
        assertEquals("429 ×1", both.complaints().refusals());
        assertEquals(5, both.requests());
        assertEquals(Duration.ofSeconds(2), both.elapsed());
        assertEquals(1.0, both.perSecond());
        assertEquals(
                Map.of(200, 1L, 409, 1L),
                both.kinds().stream()
                        .filter(k -> k.name().equals(CaseLife.RESOLVE))
                        .findFirst()
                        .orElseThrow()
                        .statuses());
    }

    private boolean send(Requests requests, String kind, int expected, String path) throws InterruptedException {
        return requests.send(
                        http,
                        kind,
                        expected,
                        Requests.signed(URI.create(base + path), "t").GET().build())
                .isPresent();
    }
}
