package redress.support.consume;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.EventFormatException;
import redress.events.payload.CasePayload;
import redress.support.ledger.ProcessedEvents;

/**
 * Applies one consumed record exactly once in effect: the ledger entry and the handler's changes
 * commit together. The record is parsed here; what cannot be parsed, or fails for good, goes to
 * {@code <topic>.dlq} ({@link DeadLetters}, the error in headers) and the call returns, so the
 * record is acknowledged only once it is applied or dead-lettered. Transient failures are waited
 * out ({@link Retries}). An interrupt (the service stopping) is thrown as {@link ConsumerStopping}
 * and dead-letters nothing: the channel's {@code fail} strategy leaves the record unacknowledged
 * for redelivery. Types this consumer does not know are skipped: producers may add types.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final ProcessedEvents ledger;
    private final DeadLetters deadLetters;

    public EventConsumer(ProcessedEvents ledger, DeadLetters deadLetters) {
        this.ledger = ledger;
        this.deadLetters = deadLetters;
    }

    @FunctionalInterface
    public interface Handler {
        void apply(CaseEvent event, CasePayload payload);
    }

    /**
     * @param consumer the ledger name of this consumer (one per service and purpose)
     * @param record   the record as it came off the topic
     * @return the event the record held, applied now or before, skipped as a type this consumer
     *         does not know, or dead-lettered; null when the record was not an event at all
     * @throws ConsumerStopping when interrupted before the record was dealt with
     */
    public CaseEvent consume(String consumer, ConsumerRecord<String, String> record, Handler handler) {
        CaseEvent event;
        CasePayload payload;
        try {
            event = EventCodec.decode(record.value());
            payload = EventCodec.payload(event).orElse(null);
        } catch (EventFormatException e) {
            LOG.errorf(
                    "%s cannot read %s-%d@%d; dead-lettering it: %s",
                    consumer, record.topic(), record.partition(), record.offset(), e.getMessage());
            deadLetters.sendWhenPossible(record, e);
            return null; // not an event this reader can take: its time means nothing here
        }
        if (payload == null) {
            LOG.debugf("%s skips event %s of unknown type %s", consumer, event.id(), event.type());
            return event;
        }
        boolean applied;
        try {
            applied = Retries.untilDone(
                    consumer + " applying event " + event.id() + " (case " + event.subject() + ")",
                    () -> QuarkusTransaction.requiringNew().call(() -> {
                        if (!ledger.claim(consumer, event)) {
                            return false;
                        }
                        handler.apply(event, payload);
                        return true;
                    }));
        } catch (ConsumerStopping e) {
            throw e;
        } catch (Exception e) {
            LOG.errorf(
                    e, "%s cannot apply event %s (case %s); dead-lettering it", consumer, event.id(), event.subject());
            deadLetters.sendWhenPossible(record, e);
            return event;
        }
        if (!applied) {
            LOG.debugf("%s already applied event %s (case %s)", consumer, event.id(), event.subject());
        }
        return event;
    }
}
