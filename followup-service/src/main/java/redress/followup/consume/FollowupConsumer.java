package redress.followup.consume;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import redress.events.CaseEvent;
import redress.followup.wake.ConsumerProgress;
import redress.support.consume.EventConsumer;

/**
 * Case events and escalations, from the beginning of each topic, each applied once (ledger) by
 * {@link EventApplier}; a record that cannot be read or applied goes to its topic's {@code .dlq}.
 * Each record, once dealt with, is noted in {@link ConsumerProgress}: the waker fires nothing due
 * after what has been read.
 */
@ApplicationScoped
public class FollowupConsumer {

    static final String LEDGER = "followup-service";

    private final EventConsumer consumer;
    private final EventApplier applier;
    private final ConsumerProgress progress;

    public FollowupConsumer(EventConsumer consumer, EventApplier applier, ConsumerProgress progress) {
        this.consumer = consumer;
        this.applier = applier;
        this.progress = progress;
    }

    @Incoming("case-events-in")
    @Blocking
    public void events(ConsumerRecord<String, String> record) {
        consume(record);
    }

    @Incoming("case-escalations-in")
    @Blocking
    public void escalations(ConsumerRecord<String, String> record) {
        consume(record);
    }

    private void consume(ConsumerRecord<String, String> record) {
        // Applied, already applied, skipped or dead-lettered: read, either way. A record left for
        // redelivery (the service stopping) is not: it may still meet a deadline.
        CaseEvent event = consumer.consume(LEDGER, record, applier::apply);
        progress.read(record.topic(), record.partition(), record.offset(), event == null ? null : event.time());
    }
}
