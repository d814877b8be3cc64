package redress.followup.wake;

import java.time.Instant;

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
}
