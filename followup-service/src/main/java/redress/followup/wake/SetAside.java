package redress.followup.wake;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

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
