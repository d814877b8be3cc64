package redress.followup.wake;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.hibernate.Session;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.panache.Panache;
import redress.support.outbox.Outbox;

/** Something whose rows come due: the waker asks it to fire what is due, a batch at a time. */
public interface Wakeable {

    String name();

    /**
     * Fires at most {@code limit} of its rows due at {@code now}, locking them with
     * {@code FOR UPDATE SKIP LOCKED} so that another replica takes others, in the caller's
     * transaction together with the events they emit.
     *
     * @return how many rows it looked at (fewer than {@code limit}: nothing more is due now, or rows
     *     of a case busy in another transaction were left to the next pass)
     */
    int fireDue(Instant now, int limit);

    /**
     * The rows of {@code entity}'s table due at {@code now}, soonest first, at most {@code limit},
     * locked {@code FOR UPDATE SKIP LOCKED} in the caller's transaction: rows another replica holds
     * are left to it. The transaction's session then sends its updates in JDBC batches of up to
     * {@code limit}, so that firing them costs one round trip at commit, not one per row.
     * <p>
     * Only the rows of cases whose outbox lock the transaction takes at once ({@link Outbox#tryLock})
     * are returned; the others stay due, for the next pass. The batch spans many cases: waiting for
     * one case's outbox lock while holding rows of others deadlocks with another replica's waker, or
     * with a consumer batch that holds that case and wants one of those rows. Waiting for no lock,
     * the waker cannot deadlock, and its events still follow, per case, those of the transaction it
     * stepped aside for.
     */
    @SuppressWarnings("unchecked")
    static <T> List<T> lockDue(Class<T> entity, String table, Function<T, UUID> caseOf, Instant now, int limit) {
        Panache.getEntityManager().unwrap(Session.class).setJdbcBatchSize(limit);
        List<T> due = Panache.getEntityManager()
                .createNativeQuery(
                        "SELECT * FROM " + table
                                + " WHERE next_at <= ?1 ORDER BY next_at LIMIT ?2 FOR UPDATE SKIP LOCKED",
                        entity)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
        if (due.isEmpty()) {
            return due;
        }
        Set<String> held = Arc.container()
                .instance(Outbox.class)
                .get()
                .tryLock(due.stream().map(r -> caseOf.apply(r).toString()).collect(Collectors.toSet()));
        return due.stream()
                .filter(r -> held.contains(caseOf.apply(r).toString()))
                .toList();
    }
}
