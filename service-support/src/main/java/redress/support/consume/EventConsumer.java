package redress.support.consume;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.payload.CasePayload;
import redress.support.ledger.ProcessedEvents;

/**
 * Applies one consumed record exactly once in effect: the ledger entry and the handler's changes
 * commit together. The record is parsed here; what cannot be parsed, or fails for good, is thrown
 * so that the channel's dead-letter strategy sends it to {@code <topic>.dlq} with the error in
 * headers. Transient failures are waited out ({@link Retries}). Types this consumer does not know
 * are skipped: producers may add types.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final ProcessedEvents ledger;

    public EventConsumer(ProcessedEvents ledger) {
        this.ledger = ledger;
    }

    @FunctionalInterface
    public interface Handler {
        void apply(CaseEvent event, CasePayload payload);
    }

    /**
     * @param consumer the ledger name of this consumer (one per service and purpose)
     * @param value    the record value as it came off the topic
     * @return the event the record held, applied now or before, or skipped as a type this consumer
     *         does not know
     */
    public CaseEvent consume(String consumer, String value, Handler handler) {
        CaseEvent event = EventCodec.decode(value);
        CasePayload payload = EventCodec.payload(event).orElse(null);
        if (payload == null) {
            LOG.debugf("%s skips event %s of unknown type %s", consumer, event.id(), event.type());
            return event;
        }
        boolean applied;
        try {
            applied = Retries.untilDone(consumer + " applying event " + event.id() + " (case " + event.subject() + ")",
                    () -> QuarkusTransaction.requiringNew().call(() -> {
                        if (!ledger.claim(consumer, event)) {
                            return false;
                        }
                        handler.apply(event, payload);
                        return true;
                    }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s cannot apply event %s (case %s); dead-lettering it", consumer, event.id(), event.subject());
            throw e;
        } catch (Exception e) {
            LOG.errorf(e, "%s cannot apply event %s (case %s); dead-lettering it", consumer, event.id(), event.subject());
            throw new IllegalStateException("cannot apply event " + event.id(), e);
        }
        if (!applied) {
            LOG.debugf("%s already applied event %s (case %s)", consumer, event.id(), event.subject());
        }
        return event;
    }
}
