package redress.support.consume;

/**
 * The consuming thread was interrupted, as it is when the service stops, while a record was being
 * applied or waited on. The record is neither applied nor dead-lettered: its offset is not
 * committed, so it is delivered again, to this service after its restart or to another replica.
 * Channels therefore run with {@code failure-strategy=fail}, never one that would dead-letter or
 * acknowledge the record this is thrown for.
 */
public class ConsumerStopping extends RuntimeException {

    public ConsumerStopping(String what, Throwable cause) {
        super("stopping: " + what + " left for redelivery", cause);
    }

    /** Whether {@code e} (or a cause) is an interrupt, or the current thread has been interrupted. */
    static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ConsumerStopping) {
                return true;
            }
        }
        return false;
    }
}
