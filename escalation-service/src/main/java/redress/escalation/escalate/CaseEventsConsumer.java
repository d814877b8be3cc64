package redress.escalation.escalate;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import redress.events.Topics;
import redress.support.consume.EventConsumer;

/**
 * Case events and follow-ups, from the beginning of each topic, each applied once (ledger) by the
 * {@link Escalator}; a record that cannot be read or applied goes to its topic's {@code .dlq}.
 */
@ApplicationScoped
public class CaseEventsConsumer {

    static final String LEDGER = "escalation-service";

    private final EventConsumer consumer;
    private final Escalator escalator;

    public CaseEventsConsumer(EventConsumer consumer, Escalator escalator) {
        this.consumer = consumer;
        this.escalator = escalator;
    }

    @Incoming("case-events-in")
    @Blocking
    public void events(String record) {
        consumer.consume(LEDGER, record, (event, payload) -> escalator.apply(event, payload, Topics.CASE_EVENTS));
    }

    @Incoming("case-followups-in")
    @Blocking
    public void followups(String record) {
        consumer.consume(LEDGER, record, (event, payload) -> escalator.apply(event, payload, Topics.CASE_FOLLOWUPS));
    }
}
