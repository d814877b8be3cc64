package redress.followup.wake;

import java.time.Instant;
import java.util.List;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.Panache;

/** Something whose rows come due: the waker asks it to fire what is due, a batch at a time. */
public interface Wakeable {

    String name();

    /**
     * Fires at most {@code limit} of its rows due at {@code now}, locking them with
     * {@code FOR UPDATE SKIP LOCKED} so that another replica takes others, in the caller's
     * transaction together with the events they emit.
     *
     * @return how many rows it looked at (fewer than {@code limit}: nothing more is due)
     */
    int fireDue(Instant now, int limit);

    /**
     * The rows of {@code entity}'s table due at {@code now}, soonest first, at most {@code limit},
     * locked {@code FOR UPDATE SKIP LOCKED} in the caller's transaction: rows another replica holds
     * are left to it. The transaction's session then sends its updates in JDBC batches of up to
     * {@code limit}, so that firing them costs one round trip at commit, not one per row.
     */
    @SuppressWarnings("unchecked")
    static <T> List<T> lockDue(Class<T> entity, String table, Instant now, int limit) {
        Panache.getEntityManager().unwrap(Session.class).setJdbcBatchSize(limit);
        return Panache.getEntityManager()
                .createNativeQuery(
                        "SELECT * FROM " + table
                                + " WHERE next_at <= ?1 ORDER BY next_at LIMIT ?2 FOR UPDATE SKIP LOCKED",
                        entity)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }
}
