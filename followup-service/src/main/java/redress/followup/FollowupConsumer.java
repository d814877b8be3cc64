package redress.followup;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import redress.support.consume.EventConsumer;

/**
 * Case events and escalations, from the beginning of each topic, each applied once (ledger) by
 * {@link Schedules}; a record that cannot be read or applied goes to its topic's {@code .dlq}.
 */
@ApplicationScoped
public class FollowupConsumer {

    static final String LEDGER = "followup-service";

    private final EventConsumer consumer;
    private final Schedules schedules;

    public FollowupConsumer(EventConsumer consumer, Schedules schedules) {
        this.consumer = consumer;
        this.schedules = schedules;
    }

    @Incoming("case-events-in")
    @Blocking
    public void events(String record) {
        consumer.consume(LEDGER, record, schedules::apply);
    }

    @Incoming("case-escalations-in")
    @Blocking
    public void escalations(String record) {
        consumer.consume(LEDGER, record, schedules::apply);
    }
}
