package redress.escalation.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

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
     * case, once its {@code complaint.received} was applied and unless it is older than that, and
     * the customer's other cases received in that window.
     */
    static long inWindow(CaseProjection p, Instant now, CustomerComplaints others) {
        Instant after = now.minus(WINDOW);
        long own = p.receivedAt != null && p.receivedAt.isAfter(after) ? 1 : 0;
        if (p.customerId == null || p.customerId.isEmpty()) {
            return own;
        }
        return own + others.others(p.customerId, p.caseId, after, now);
    }
}
