package redress.escalation.consume;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import redress.escalation.escalate.Escalator;
import redress.events.EventCodec;
import redress.support.consume.BatchConsumer;
import redress.support.ledger.ProcessedEvents;

/**
 * Case events and follow-ups, from the beginning of each topic, a poll's worth of records per
 * transaction: each event is claimed in the ledger and applied by the {@link Escalator} in
 * order, so an event is applied once however often it is delivered. A record that cannot be read
 * or applied goes to its topic's {@code .dlq} (the batch is split to find it).
 */
@ApplicationScoped
public class EscalationConsumer {

    static final String LEDGER = "escalation-service";

    private final BatchConsumer consumer;
    private final ProcessedEvents ledger;
    private final Escalator escalator;

    public EscalationConsumer(BatchConsumer consumer, ProcessedEvents ledger, Escalator escalator) {
        this.consumer = consumer;
        this.ledger = ledger;
        this.escalator = escalator;
    }

    @Incoming("case-events-in")
    @Blocking
    public void events(ConsumerRecords<String, String> records) {
        apply(records);
    }

    @Incoming("case-followups-in")
    @Blocking
    public void followups(ConsumerRecords<String, String> records) {
        apply(records);
    }

    private void apply(ConsumerRecords<String, String> records) {
        consumer.consume(
                records,
                batch -> QuarkusTransaction.requiringNew().run(() -> {
                    // Types this service does not know are skipped; events already applied too (one ledger statement).
                    List<Escalator.Consumed> known = new ArrayList<>(batch.size());
                    for (BatchConsumer.Consumed c : batch) {
                        EventCodec.payload(c.event())
                                .ifPresent(p -> known.add(new Escalator.Consumed(
                                        c.event(), p, c.text(), c.record().topic())));
                    }
                    escalator.applyAll(ledger.fresh(LEDGER, known, Escalator.Consumed::event));
                }));
    }
}
