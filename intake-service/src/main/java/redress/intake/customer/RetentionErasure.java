package redress.intake.customer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import redress.support.identity.Callers;
import redress.support.time.Clocks;

/**
 * The retention rule, off unless {@code redress.customer-keys.retention-after-closure} is set: a
 * customer whose cases (those sealed with their current key) are all CLOSED, the last closed
 * longer ago than that, is erased as if a supervisor had asked, by {@code system}. One customer
 * per transaction; a customer with any case not CLOSED keeps their data (erasing would erase that
 * case's customer too, since one key covers them all). The listing only proposes customers: the
 * rule is decided again in the erasing transaction, under the customer's locks
 * ({@link CustomerKeys#eraseRetained}), so a complaint that arrives in between keeps its customer.
 */
@ApplicationScoped
public class RetentionErasure {

    private static final int BATCH = 100;

    private final CustomerKeys keys;
    private final CustomerKeysConfig config;
    private final Callers callers;
    private final Clock clock;

    public RetentionErasure(CustomerKeys keys, CustomerKeysConfig config, Callers callers, Clock clock) {
        this.keys = keys;
        this.config = config;
        this.callers = callers;
        this.clock = clock;
    }

    @Scheduled(
            every = "${redress.customer-keys.retention-check-every:1h}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    /** Erases every customer the rule covers now; how many. Does nothing when the rule is off. */
    public int run() {
        if (config.retentionAfterClosure().isEmpty()) {
            return 0;
        }
        Duration keep = config.retentionAfterClosure().get();
        Instant closedBefore = Clocks.now(clock).minus(keep);
        String reason = "retention: every case closed more than " + keep + " ago";
        int erased = 0;
        String after = "";
        List<String> due;
        do {
            String from = after;
            due = QuarkusTransaction.requiringNew().call(() -> keys.closedBefore(closedBefore, from, BATCH));
            for (String customerId : due) {
                // Empty when erased meanwhile (by a supervisor, another replica's run) or no longer due.
                if (QuarkusTransaction.requiringNew()
                        .call(() -> keys.eraseRetained(customerId, closedBefore, reason, callers.system()))
                        .isPresent()) {
                    erased++;
                }
            }
            after = due.isEmpty() ? after : due.get(due.size() - 1);
        } while (due.size() == BATCH);
        if (erased > 0) {
            Log.infof("retention erased %d customers whose cases closed before %s", erased, closedBefore);
        }
        return erased;
    }
}
