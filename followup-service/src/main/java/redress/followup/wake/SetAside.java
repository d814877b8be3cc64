package redress.followup.wake;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * A due row that cannot be fired (its stored spec or state no longer reads, its calendar is gone)
 * is set aside: no longer due (its {@code next_at} cleared by the caller), named in the log and
 * counted ({@code redress_followup_set_aside_total}), so that it does not stop the rows after it in
 * the waker's pass, pass after pass. It stays in its table as it was, for an operator to mend.
 */
@ApplicationScoped
public class SetAside {

    private final Counter counter;

    public SetAside(MeterRegistry registry) {
        this.counter = registry.counter("redress_followup_set_aside_total");
    }

    /**
     * What a due row's stored data reads as ({@code read}), or empty when it does not read: then the
     * row is set aside ({@link #row}) and the caller clears its {@code next_at}. A failure of the
     * database is not the row's: it is thrown on, so that the batch is tried again.
     */
    public <T> Optional<T> read(String what, UUID id, UUID caseId, Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (RuntimeException e) {
            if (e instanceof PersistenceException) {
                throw e;
            }
            row(what, id, caseId, e);
            return Optional.empty();
        }
    }

    public void row(String what, UUID id, UUID caseId, RuntimeException cause) {
        counter.increment();
        Log.errorf(
                cause,
                "%s %s of case %s cannot be fired and is set aside (no longer due): %s",
                what,
                id,
                caseId,
                cause.getMessage());
    }
}
