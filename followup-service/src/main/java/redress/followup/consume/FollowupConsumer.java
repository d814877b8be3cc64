package redress.followup.consume;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.payload.CasePayload;
import redress.events.payload.ComplaintReceived;
import redress.followup.calendar.Calendars;
import redress.followup.wake.ConsumerProgress;
import redress.support.consume.BatchConsumer;
import redress.support.ledger.ProcessedEvents;
import redress.support.time.Clocks;

/**
 * Case events and escalations, from the beginning of each topic, a poll's worth of records per
 * transaction: the batch's events are claimed in the ledger in one statement, the cases they touch
 * locked in one order, and each event applied once, in order, by {@link EventApplier} (the events
 * it produces go to the outbox in the same transaction). A record that cannot be read or applied
 * goes to its topic's {@code .dlq} ({@link BatchConsumer} splits the batch to find it); types this
 * service does not know are skipped. Each record, once the batch is dealt with (committed, or
 * dead-lettered), is noted in {@link ConsumerProgress}: the waker fires nothing due after what has
 * been read.
 */
@ApplicationScoped
public class FollowupConsumer {

    static final String LEDGER = "followup-service";

    private record Known(CaseEvent event, CasePayload payload) {}

    private final BatchConsumer consumer;
    private final ProcessedEvents ledger;
    private final CaseLocks locks;
    private final EventApplier applier;
    private final ConsumerProgress progress;
    private final Calendars calendars;
    private final EntityManager em;
    private final Clock clock;

    public FollowupConsumer(
            BatchConsumer consumer,
            ProcessedEvents ledger,
            CaseLocks locks,
            EventApplier applier,
            ConsumerProgress progress,
            Calendars calendars,
            EntityManager em,
            Clock clock) {
        this.consumer = consumer;
        this.ledger = ledger;
        this.locks = locks;
        this.applier = applier;
        this.progress = progress;
        this.calendars = calendars;
        this.em = em;
        this.clock = clock;
    }

    @Incoming("case-events-in")
    @Blocking
    public void events(ConsumerRecords<String, String> records) {
        consume(records);
    }

    @Incoming("case-escalations-in")
    @Blocking
    public void escalations(ConsumerRecords<String, String> records) {
        consume(records);
    }

    private void consume(ConsumerRecords<String, String> records) {
        // The event time of each record that reads as an event (the first hand-over holds them all).
        Map<ConsumerRecord<String, String>, Instant> times = new IdentityHashMap<>(records.count());
        consumer.consume(records, batch -> {
            for (BatchConsumer.Consumed c : batch) {
                times.put(c.record(), c.event().time());
            }
            QuarkusTransaction.requiringNew().run(() -> apply(batch));
        });
        // Applied, already applied, skipped or dead-lettered: read, every one, and only now that the
        // batch's transactions have committed. A batch left for redelivery (the service stopping,
        // ConsumerStopping thrown above) is not: it may still meet a deadline.
        for (ConsumerRecord<String, String> r : records) {
            progress.read(r.topic(), r.partition(), r.offset(), times.get(r));
        }
    }

    /**
     * Which events are the receipt of a case new to this service: a {@code complaint.received} whose
     * case's row this batch created, and the first event of the case in the batch. Nothing of such a
     * case is stored before it is applied.
     */
    private static boolean[] firstReceipts(List<Known> events, Set<UUID> created) {
        boolean[] first = new boolean[events.size()];
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            Known k = events.get(i);
            UUID caseId = k.payload().caseId();
            boolean firstOfCase = caseId != null && seen.add(caseId);
            first[i] = firstOfCase && k.payload() instanceof ComplaintReceived && created.contains(caseId);
        }
        return first;
    }

    /** One batch, in the caller's transaction. */
    private void apply(List<BatchConsumer.Consumed> batch) {
        // Before any row is locked: a calendar change waits for this batch's due times, not the other
        // way round (Calendars).
        calendars.holdSteady();
        List<Known> known = new ArrayList<>(batch.size());
        for (BatchConsumer.Consumed c : batch) {
            EventCodec.payload(c.event()).ifPresent(p -> known.add(new Known(c.event(), p)));
        }
        // An event delivered again (or twice in this batch) is claimed once, and applied only then.
        List<Known> fresh = ledger.fresh(LEDGER, known, Known::event);
        Set<UUID> cases = new HashSet<>();
        for (Known k : fresh) {
            UUID caseId = k.payload().caseId();
            if (caseId != null && caseId.toString().equals(k.event().subject())) {
                cases.add(caseId); // one that names another case fails in the applier, and alone
            }
        }
        Set<UUID> created = locks.lockAll(cases, Clocks.now(clock));
        boolean[] firstReceipt = firstReceipts(fresh, created);
        for (int i = 0; i < fresh.size(); i++) {
            Known k = fresh.get(i);
            applier.apply(k.event(), k.payload());
            // Each event starts from the database as the previous one left it, as it did in a
            // transaction of its own: what the session holds may be stale after a native statement.
            // Only a run of first receipts is flushed once, at its end, so that its inserts go as one
            // JDBC batch a table: each writes only new rows of its own new case and reads nothing
            // stored (its case's row was loaded with the lock, the profile and calendar are memos).
            if (!(firstReceipt[i] && i + 1 < fresh.size() && firstReceipt[i + 1])) {
                em.flush();
                em.clear();
            }
        }
    }
}
