package redress.localrun.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import redress.localrun.scenario.ApiClient;

/**
 * The benchmark's clients: a fixed number of threads, each posting complaints one after another as
 * fast as they are answered, each request signed by one of many submitter identities (so that the
 * per-client rate limit is not what is measured) and carrying an {@code Idempotency-Key}, as a
 * system that retries would send it.
 */
final class Submitters {

    private static final String[] SEVERITIES = {"LOW", "MEDIUM", "HIGH", "CRITICAL", "MEDIUM"};
    private static final String[] CHANNELS = {"WEB", "EMAIL", "PHONE", "LETTER"};

    /** What one window of load did: complaints accepted, refused, and the answer times of the accepted ones. */
    record Window(long accepted, long refused, long[] latenciesNanos, Duration elapsed) {
        double perSecond() {
            return accepted / (elapsed.toNanos() / 1e9);
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
    }

    private final URI complaints;
    private final List<String> tokens;
    private final Customers customers;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    private final AtomicLong sequence = new AtomicLong();

    /** Who the complaints are from: a new customer each time, or one of a fixed set. */
    interface Customers {
        String next(long n);

        static Customers fresh() {
            return n -> "B-" + UUID.randomUUID().toString().substring(0, 13);
        }

        static Customers pool(String prefix, int size) {
            return n -> prefix + ThreadLocalRandom.current().nextInt(size);
        }
    }

    Submitters(String intakeBase, List<String> tokens, Customers customers) {
        this.complaints = URI.create(intakeBase + "/complaints");
        this.tokens = List.copyOf(tokens);
        this.customers = customers;
    }

    /** Posts complaints from {@code clients} threads until {@code length} has passed; bounded by its own clock. */
    Window run(int clients, Duration length) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            long[] lat = new long[1 << 17];
            int[] count = new int[1];
            perThread.add(lat);
            counts.add(count);
            Thread th = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            boolean ok = submitOne();
                            long took = System.nanoTime() - t0;
                            if (ok) {
                                accepted.incrementAndGet();
                                if (count[0] < lat.length) {
                                    lat[count[0]++] = took;
                                }
                            } else {
                                refused.incrementAndGet();
                            }
                        }
                    },
                    "bench-client-" + t);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(length.toMillis() + 60_000);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(perThread.get(t), 0, all, at, counts.get(t)[0]);
            at += counts.get(t)[0];
        }
        return new Window(accepted.get(), refused.get(), all, elapsed);
    }

    private boolean submitOne() {
        long n = sequence.incrementAndGet();
        String customer = customers.next(n);
        Map<String, Object> body = Map.of(
                "customer",
                Map.of("id", customer, "name", "Bench Customer " + customer, "email", customer + "@example.org"),
                "channel",
                CHANNELS[(int) (n % CHANNELS.length)],
                "category",
                n % 2 == 0 ? "billing" : "service",
                "product",
                "current account",
                "summary",
                "Benchmark complaint " + n + ": the card was charged twice for one purchase",
                "severity",
                SEVERITIES[(int) (n % SEVERITIES.length)],
                "regulatoryProfile",
                "DEFAULT");
        try {
            HttpRequest request = HttpRequest.newBuilder(complaints)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + tokens.get((int) (n % tokens.size())))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "bench-" + UUID.randomUUID())
                    .POST(HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 201;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
