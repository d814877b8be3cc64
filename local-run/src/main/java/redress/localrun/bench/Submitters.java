package redress.localrun.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's clients: a fixed number of threads, each posting complaints one after another as
 * fast as they are answered, each request signed by one of many submitter identities (so that the
 * per-client rate limit is not what is measured) and carrying an {@code Idempotency-Key}, as a
 * system that retries would send it. What else a client does with each accepted complaint before
 * the next one is its {@link CaseWork}: nothing for the plain workload, the case's life for the mix
 * ({@link CaseLife}).
 */
final class Submitters {

    private static final String[] SEVERITIES = {"LOW", "MEDIUM", "HIGH", "CRITICAL", "MEDIUM"};
    private static final String[] CHANNELS = {"WEB", "EMAIL", "PHONE", "LETTER"};

    /** The kind under which complaints' POSTs are counted; always the first of a window's kinds. */
    static final String SUBMIT = "POST /complaints (complaint-submitter)";

    /**
     * What one window of load did: every kind of request with its answers, {@link #SUBMIT} first.
     * Accepted, refused and the percentiles are the complaints' POSTs'.
     */
    record Window(List<Requests.Kind> kinds, Duration elapsed) {
        Requests.Kind complaints() {
            return kinds.stream()
                    .filter(k -> k.name().equals(SUBMIT))
                    .findFirst()
                    .orElseGet(() -> new Requests.Kind(SUBMIT, 201, new TreeMap<>(), new long[0]));
        }

        long accepted() {
            return complaints().accepted();
        }

        long refused() {
            return complaints().refused();
        }

        /** Every request of the window, whatever its kind and answer. */
        long requests() {
            return kinds.stream().mapToLong(Requests.Kind::total).sum();
        }

        double perSecond() {
            return accepted() / (elapsed.toNanos() / 1e9);
        }

        double percentileMillis(double p) {
            return complaints().percentileMillis(p);
        }

        /** Both windows' requests, one after the other. */
        Window plus(Window next) {
            return new Window(Requests.sum(List.of(kinds, next.kinds)), elapsed.plus(next.elapsed));
        }
    }

    /** What a client does with a complaint it had accepted (case {@code caseId}, the {@code n}th posted). */
    interface CaseWork {
        CaseWork NONE = (n, caseId, requests) -> {};

        void work(long n, String caseId, Requests requests) throws InterruptedException;
    }

    private final URI complaints;
    private final List<String> tokens;
    private final Customers customers;
    private final CaseWork work;
    private final HttpClient http = Requests.http();
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

    Submitters(String intakeBase, List<String> tokens, Customers customers, CaseWork work) {
        this.complaints = URI.create(intakeBase + "/complaints");
        this.tokens = List.copyOf(tokens);
        this.customers = customers;
        this.work = work;
    }

    /**
     * Posts complaints from {@code clients} threads until {@code length} has passed, each followed by
     * this workload's {@link CaseWork}; bounded by its own clock.
     */
    Window run(int clients, Duration length) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        List<Requests> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            Requests requests = new Requests();
            perThread.add(requests);
            Thread th = new Thread(
                    () -> {
                        try {
                            while (System.nanoTime() < end) {
                                submitOne(requests);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
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
        return new Window(Requests.merge(perThread), elapsed);
    }

    /** Posts one complaint and, once it is accepted, does the workload's work on its case. */
    private void submitOne(Requests requests) throws InterruptedException {
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
        var accepted = requests.send(
                http,
                SUBMIT,
                201,
                Requests.postJson(complaints, tokens.get((int) (n % tokens.size())), body)
                        .header("Idempotency-Key", "bench-" + UUID.randomUUID())
                        .build());
        if (accepted.isPresent()) {
            String location = accepted.get().headers().firstValue("Location").orElseThrow();
            work.work(n, location.substring(location.lastIndexOf('/') + 1), requests);
        }
    }
}
