package redress.localrun.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import redress.localrun.scenario.ApiClient;

/**
 * One benchmark client's requests, by kind: every answer counted by its status (none is ignored,
 * so that a window of refusals cannot pass for a measurement), and the answer times of the
 * requests answered with the status expected. Each client thread has its own; {@link #merge}
 * adds them up after the window.
 */
final class Requests {

    /** The status recorded for a request that got no answer (a refused connection, a timeout). */
    static final int NO_ANSWER = 0;

    /**
     * The answers to one kind of request in a window.
     *
     * @param name           what was sent, and as whom, e.g. {@code POST /complaints (complaint-submitter)}
     * @param expected       the status of a request that did what it was sent for
     * @param statuses       how many answers had each status ({@link #NO_ANSWER} for none)
     * @param latenciesNanos the answer times of the requests answered with {@code expected}
     */
    record Kind(String name, int expected, SortedMap<Integer, Long> statuses, long[] latenciesNanos) {

        long total() {
            return statuses.values().stream().mapToLong(Long::longValue).sum();
        }

        long accepted() {
            return statuses.getOrDefault(expected, 0L);
        }

        long refused() {
            return total() - accepted();
        }

        /** The answers by status, e.g. {@code 201 ×1200, 409 ×3}. */
        String answers() {
            return statuses.entrySet().stream()
                    .map(e -> (e.getKey() == NO_ANSWER ? "no answer" : e.getKey()) + " ×" + e.getValue())
                    .collect(Collectors.joining(", "));
        }

        /** The refused answers by status, or nothing when there were none. */
        String refusals() {
            return statuses.entrySet().stream()
                    .filter(e -> e.getKey() != expected)
                    .map(e -> (e.getKey() == NO_ANSWER ? "no answer" : e.getKey()) + " ×" + e.getValue())
                    .collect(Collectors.joining(", "));
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }

        Kind plus(Kind other) {
            SortedMap<Integer, Long> sum = new TreeMap<>(statuses);
            other.statuses.forEach((status, n) -> sum.merge(status, n, Long::sum));
            long[] both = Arrays.copyOf(latenciesNanos, latenciesNanos.length + other.latenciesNanos.length);
            System.arraycopy(other.latenciesNanos, 0, both, latenciesNanos.length, other.latenciesNanos.length);
            return new Kind(name, expected, sum, both);
        }
    }

    /** One kind's answers as they come: the statuses and a growing buffer of answer times. */
    private static final class Tally {
        final String name;
        final int expected;
        final SortedMap<Integer, Long> statuses = new TreeMap<>();
        long[] latencies = new long[1024];
        int count;

        Tally(String name, int expected) {
            this.name = name;
            this.expected = expected;
        }

        Kind kind() {
            return new Kind(name, expected, new TreeMap<>(statuses), Arrays.copyOf(latencies, count));
        }
    }

    private final Map<String, Tally> kinds = new LinkedHashMap<>();

    /** An HTTP/1.1 client as the benchmark's callers use it: a connect timeout of 3 s. */
    static HttpClient http() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /** A request to {@code uri} signed with {@code token}, answered within 30 s or failed. */
    static HttpRequest.Builder signed(URI uri, String token) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    /** A signed POST of {@code body} as JSON. */
    static HttpRequest.Builder postJson(URI uri, String token, Object body) {
        try {
            return signed(uri, token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new UncheckedIOException("a request body that cannot be written as JSON", e);
        }
    }

    /**
     * Sends {@code request} and counts its answer under {@code kind}; the answer when its status is
     * {@code expected}, empty otherwise (refused, or no answer).
     */
    Optional<HttpResponse<Void>> send(HttpClient http, String kind, int expected, HttpRequest request)
            throws InterruptedException {
        long t0 = System.nanoTime();
        int status;
        HttpResponse<Void> answer = null;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = answer.statusCode();
        } catch (IOException e) {
            status = NO_ANSWER;
        }
        long took = System.nanoTime() - t0;
        Tally t = kinds.computeIfAbsent(kind, n -> new Tally(n, expected));
        t.statuses.merge(status, 1L, Long::sum);
        if (status != expected) {
            return Optional.empty();
        }
        if (t.count == t.latencies.length) {
            t.latencies = Arrays.copyOf(t.latencies, t.count * 2);
        }
        t.latencies[t.count++] = took;
        return Optional.of(answer);
    }

    /** The kinds of every client's requests added up, in the order the first client first sent them. */
    static List<Kind> merge(List<Requests> clients) {
        return sum(clients.stream()
                .map(r -> r.kinds.values().stream().map(Tally::kind).toList())
                .toList());
    }

    /** Lists of kinds added up kind by kind, in the order of their first appearance. */
    static List<Kind> sum(List<List<Kind>> lists) {
        Map<String, Kind> out = new LinkedHashMap<>();
        lists.forEach(kinds -> kinds.forEach(k -> out.merge(k.name(), k, Kind::plus)));
        return new ArrayList<>(out.values());
    }
}
