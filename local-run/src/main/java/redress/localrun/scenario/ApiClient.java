package redress.localrun.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The services' public REST APIs as a caller with a bearer token per role uses them: JSON bodies, a
 * connect timeout of 3 s and a timeout on every request. Shared by the demo's scenario and the fault
 * suite's load, so that both call the services the same way.
 */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final Map<String, String> tokens;
    private final Duration timeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * @param tokens  a bearer token (without {@code Bearer }) per role
     * @param timeout how long one request may take before it fails
     */
    public ApiClient(Map<String, String> tokens, Duration timeout) {
        this.tokens = Map.copyOf(tokens);
        this.timeout = timeout;
    }

    /** POSTs {@code body} as JSON (none when null) as {@code role}, with an {@code Idempotency-Key} when one is given. */
    public HttpResponse<String> post(String base, String path, String role, Object body, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + tokens.get(role))
                .header("Content-Type", "application/json")
                .POST(
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String base, String path, String role) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + tokens.get(role))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
