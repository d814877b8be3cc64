package redress.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import redress.localinfra.JwtKeys;

/**
 * The security tests every service runs against itself, driven by the endpoint × role table in
 * docs/security.md: the operations the service publishes (its OpenAPI document) are exactly the
 * table's rows for it, and each row answers 401 without a token, with an expired one and with one
 * signed by another key, 403 with every role it does not list, and is allowed with each it does.
 */
public final class SecurityChecks {

    public static final List<String> ROLES =
            List.of("complaint-submitter", "agent", "supervisor", "rules-admin", "auditor", "operator");

    public record Row(String service, String method, String path, Set<String> roles) {
        String operation() {
            return method + " " + path;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SecurityChecks() {}

    /** The table's rows for one service. */
    public static List<Row> table(String service) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(securityDoc())) {
            String[] cells = line.split("\\|");
            if (cells.length < 5 || !cells[1].trim().equals(service)) {
                continue;
            }
            Set<String> roles = new LinkedHashSet<>();
            for (String r : cells[4].split(",")) {
                roles.add(r.trim());
            }
            rows.add(new Row(service, cells[2].trim(), cells[3].trim(), roles));
        }
        assertFalse(rows.isEmpty(), "docs/security.md has no rows for " + service);
        assertTrue(rows.stream().allMatch(r -> ROLES.containsAll(r.roles())), "unknown role in the table: " + rows);
        return rows;
    }

    /** Every operation the service publishes has a row, and every row is an operation. */
    public static void everyOperationHasARow(URI base, String service) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "the OpenAPI document is readable without a token");
        Set<String> published = new TreeSet<>();
        JsonNode paths = JSON.readTree(r.body()).path("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
                String method = m.next().toUpperCase(Locale.ROOT);
                if (Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    published.add(method + " " + path);
                }
            }
        }
        Set<String> documented =
                table(service).stream().map(Row::operation).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(documented, published, "docs/security.md and the service's operations differ");
        assertTrue(
                r.body().contains("\"bearer\"") || r.body().contains("securitySchemes"),
                "the OpenAPI document describes the security scheme");
    }

    /** Calls every row as nobody, with bad tokens, with each wrong role and with each right one. */
    public static void eachRowIsEnforced(URI base, String service) throws Exception {
        JwtKeys keys = TestTokens.keys();
        for (Row row : table(service)) {
            URI uri = base.resolve(concrete(row.path()));
            assertStatus(401, row, "no token", send(uri, row.method(), null));
            assertStatus(401, row, "an expired token", send(uri, row.method(), keys.expired("expired", row.roles())));
            assertStatus(
                    401,
                    row,
                    "a token signed by another key",
                    send(uri, row.method(), JwtKeys.foreign("forger", row.roles())));
            for (String role : ROLES) {
                int status = send(uri, row.method(), TestTokens.token("caller-" + role, role));
                if (row.roles().contains(role)) {
                    assertTrue(
                            status != 401 && status != 403,
                            row.operation() + " must be allowed to " + role + " but answered " + status);
                } else {
                    assertEquals(403, status, row.operation() + " must be forbidden to " + role);
                }
            }
        }
    }

    private static void assertStatus(int expected, Row row, String what, int actual) {
        assertEquals(expected, actual, row.operation() + " with " + what);
    }

    /** Fills path parameters with ids that exist nowhere: the check is about access, not data. */
    static String concrete(String path) {
        return path.replaceAll("\\{customerId\\}", "C-security-check")
                .replaceAll("\\{[^}]+\\}", UUID.randomUUID().toString());
    }

    /** The status line only: the body is not read, so an open stream does not hold the check. */
    private static int send(URI uri, String method, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        method.equals("GET")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .header("Accept", "*/*");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r;
        try {
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            // A pooled connection the server had already closed (after a stream this check cut
            // short) says nothing about access: the request is sent once more, on a new connection.
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        }
        r.body().close();
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            assertEquals(
                    "application/problem+json",
                    r.headers().firstValue("Content-Type").orElse("").split(";")[0],
                    method + " " + uri + " answered " + r.statusCode() + " without a problem+json body");
        }
        return r.statusCode();
    }

    /**
     * What a caller without rights is answered (health, 401s, 400s) names no class or package of
     * ours or a library's, no internal address, and no exception.
     */
    public static void assertShowsNoInternals(String... bodies) {
        for (String body : bodies) {
            assertNoInternalsIn(body);
        }
    }

    private static void assertNoInternalsIn(String body) {
        assertFalse(
                body.matches("(?s).*\\b(java|javax|jakarta|org|io|redress)\\.[a-z]+\\.[A-Za-z.]*.*"),
                "a class or package name in: " + body);
        assertFalse(
                body.matches("(?s).*\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(:\\d+)?.*"), "an address in: " + body);
        assertFalse(body.contains("Exception"), "an exception in: " + body);
    }

    /** docs/security.md, found from the module's directory upwards. */
    static Path securityDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("security.md");
            if (Files.exists(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException(
                "docs/security.md not found above " + Path.of("").toAbsolutePath());
    }
}
