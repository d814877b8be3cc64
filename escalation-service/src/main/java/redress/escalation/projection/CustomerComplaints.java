package redress.escalation.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * How many complaints a customer made recently: the repeat-complainant signal. Intake's
 * {@code earlierComplaints} counts every earlier complaint ever, so this service counts for itself,
 * from the cases it has consumed ({@code case_projection} by customer id and time of receipt).
 */
@FunctionalInterface
public interface CustomerComplaints {

    /** The window of {@code complaints_90d}. */
    Duration WINDOW = Duration.ofDays(90);

    /** No other complaints (a case without a customer id, or a test). */
    CustomerComplaints NONE = (customerId, caseId, after, upTo) -> 0;

    /** How many of the customer's cases other than {@code caseId} were received after {@code after} and at or before {@code upTo}. */
    long others(String customerId, UUID caseId, Instant after, Instant upTo);

    /**
     * The customer's complaints received in the 90 days up to {@code now} (the event's time): this
     * case, once its {@code complaint.received} was applied ({@code receivedAt}) and unless it is
     * older than that, and the customer's other cases received in that window.
     */
    static long inWindow(UUID caseId, String customerId, Instant receivedAt, Instant now, CustomerComplaints others) {
        Instant after = now.minus(WINDOW);
        long own = receivedAt != null && receivedAt.isAfter(after) ? 1 : 0;
        if (customerId == null || customerId.isEmpty()) {
            return own;
        }
        return own + others.others(customerId, caseId, after, now);
    }

    /**
     * Counts from when each of the customers' cases was received, held in memory: read once per
     * customer, and kept up to date with the cases applied since ({@link #received}).
     */
    final class Known implements CustomerComplaints {

        private final Map<String, Map<UUID, Instant>> received;
        private final Function<String, Map<UUID, Instant>> load;

        private Known(Map<String, Map<UUID, Instant>> received, Function<String, Map<UUID, Instant>> load) {
            this.received = received;
            this.load = load;
        }

        /** Each customer's cases read when first asked for. */
        public static Known loading(Function<String, Map<UUID, Instant>> load) {
            return new Known(new HashMap<>(), load);
        }

        /** The customers' cases read beforehand; a customer not among them has none yet. */
        public static Known of(Map<String, Map<UUID, Instant>> preloaded) {
            return new Known(new HashMap<>(preloaded), c -> new HashMap<>());
        }

        @Override
        public long others(String customerId, UUID caseId, Instant after, Instant upTo) {
            return received.computeIfAbsent(customerId, load).entrySet().stream()
                    .filter(r -> !r.getKey().equals(caseId)
                            && r.getValue().isAfter(after)
                            && !r.getValue().isAfter(upTo))
                    .count();
        }

        /** A case as it is now: counted for its customer from its time of receipt. */
        public void received(CaseProjection p) {
            if (p.customerId != null && !p.customerId.isEmpty() && p.receivedAt != null) {
                received.computeIfAbsent(p.customerId, load).put(p.caseId, p.receivedAt);
            }
        }
    }
}
