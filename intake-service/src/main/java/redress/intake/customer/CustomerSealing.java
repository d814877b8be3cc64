package redress.intake.customer;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Cases stored before per-customer encryption kept name and contact in clear columns, and a
 * replica still at that version goes on storing them that way during a rolling update. At start, and then
 * every {@code redress.customer-keys.seal-check-every}, each such row is sealed with its customer's
 * key and its clear columns emptied, a page of customers per transaction (rows another
 * transaction holds are skipped: replicas starting together share the work). A customer who is
 * erased gets no fresh key for them: their rows are erased instead ({@link CustomerKeys#sealStoredInClear}).
 * Their {@code complaint.received} events, already published in clear, cannot be changed: see
 * docs/security.md.
 */
@ApplicationScoped
public class CustomerSealing {

    private static final int BATCH = 100;

    /** One page: the last customer id on it (null when it was the last page), and the cases sealed or erased. */
    record Page(String last, int cases) {}

    private final CustomerKeys keys;

    public CustomerSealing(CustomerKeys keys) {
        this.keys = keys;
    }

    void onStart(@Observes StartupEvent start) {
        sealAll();
    }

    @Scheduled(
            every = "${redress.customer-keys.seal-check-every:1m}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sealAll();
    }

    /** Seals (or, for an erased customer, erases) every case stored in clear; how many. */
    public int sealAll() {
        int total = 0;
        String after = "";
        while (after != null) {
            String from = after;
            Page page = QuarkusTransaction.requiringNew().call(() -> sealPage(from));
            total += page.cases();
            after = page.last();
        }
        if (total > 0) {
            Log.infof("sealed (or erased, for erased customers) the customer data of %d cases stored in clear", total);
        }
        return total;
    }

    private Page sealPage(String after) {
        List<String> customers = keys.storedInClear(after, BATCH);
        int cases = 0;
        for (String customerId : customers) {
            cases += keys.sealStoredInClear(customerId);
        }
        return new Page(customers.size() < BATCH ? null : customers.get(customers.size() - 1), cases);
    }
}
