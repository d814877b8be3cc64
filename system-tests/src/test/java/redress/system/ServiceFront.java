package redress.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import redress.testsupport.ServiceProcess;

/**
 * A round-robin HTTP front for the replicas of one service, as a Kubernetes Service or a load
 * balancer stands in front of a scaled-out deployment: each request goes to the next replica, so a
 * client's consecutive requests (a POST, then the GET that reads it back) land on different
 * processes. A replica that refuses the connection (it is down) is skipped for the next one, as a
 * balancer drops an endpoint that fails; a request that reached a replica is never sent twice.
 * Responses are passed on whole (no streaming: the case stream is not served through it).
 */
public final class ServiceFront implements AutoCloseable {

    /** Headers {@link HttpClient} sets itself, and hop-by-hop ones, left out in both directions. */
    private static final Set<String> NOT_FORWARDED =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive");

    private final String service;
    private final List<ServiceProcess> replicas;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLongArray served;

    ServiceFront(String service, List<ServiceProcess> replicas) {
        this.service = service;
        this.replicas = List.copyOf(replicas);
        this.served = new AtomicLongArray(replicas.size());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the front of " + service, e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "front-" + service);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests each replica (by index) answered through this front. */
    public long served(int replica) {
        return served.get(replica);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int first = Math.floorMod(next.getAndIncrement(), replicas.size());
            for (int i = 0; i < replicas.size(); i++) {
                int replica = (first + i) % replicas.size();
                HttpResponse<byte[]> response;
                try {
                    response = http.send(
                            request(exchange, body, replicas.get(replica).port()),
                            HttpResponse.BodyHandlers.ofByteArray());
                } catch (ConnectException down) {
                    continue;
                } catch (IOException e) {
                    // The replica took the request and did not answer (killed while handling it): the
                    // client must not assume either outcome, as behind a real balancer.
                    answer(exchange, 502, service + " replica " + (replica + 1) + " did not answer: " + e);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answer(exchange, 503, "interrupted");
                    return;
                }
                served.incrementAndGet(replica);
                response.headers().map().forEach((name, values) -> {
                    if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                byte[] out = response.body();
                exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(out);
                    }
                }
                return;
            }
            answer(exchange, 503, "no replica of " + service + " accepts connections");
        }
    }

    private static HttpRequest request(HttpExchange exchange, byte[] body, int port) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return b.build();
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
