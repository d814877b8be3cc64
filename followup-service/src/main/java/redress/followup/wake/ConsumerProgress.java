package redress.followup.wake;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.common.TopicPartition;
import org.hibernate.query.NativeQuery;

import io.quarkus.narayana.jta.QuarkusTransaction;
import redress.support.time.Clocks;

/**
 * What this replica's consumers have read, partition by partition: the offset below which every
 * record was applied (or dead-lettered) and the latest event time read there. The consumer notes
 * each record after its transaction ends ({@link #read}); {@link #flush} writes what changed to
 * {@code consumed_partition}, where every replica's waker sees it ({@link ReadThrough}). A value is
 * only ever raised, so a replica that lost a partition in a rebalance can still flush what it read.
 */
@ApplicationScoped
public class ConsumerProgress {

    /** One partition's progress; {@code dirty} until flushed. */
    private static final class Progress {
        long nextOffset;
        Instant eventTime;
        boolean dirty;
    }

    private final Map<TopicPartition, Progress> read = new ConcurrentHashMap<>();
    private final EntityManager em;
    private final Clock clock;

    public ConsumerProgress(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * The record at {@code offset} has been dealt with: applied, found already applied, skipped, or
     * about to be dead-lettered. {@code eventTime} is its event's own time (null when it could not
     * be read); a time later than now counts as now, so one record from a producer with a wrong
     * clock cannot carry the watermark into the future.
     */
    public void read(String topic, int partition, long offset, Instant eventTime) {
        Progress p = read.computeIfAbsent(new TopicPartition(topic, partition), k -> new Progress());
        Instant now = Clocks.now(clock);
        Instant t = eventTime == null ? null : eventTime.isAfter(now) ? now : eventTime;
        synchronized (p) {
            p.nextOffset = Math.max(p.nextOffset, offset + 1);
            if (t != null && (p.eventTime == null || t.isAfter(p.eventTime))) {
                p.eventTime = t;
            }
            p.dirty = true;
        }
    }

    /** Writes the partitions read since the last flush, in a transaction of its own. */
    public void flush() {
        record Row(TopicPartition tp, long nextOffset, Instant eventTime) {}
        List<Row> rows = new ArrayList<>();
        read.forEach((tp, p) -> {
            synchronized (p) {
                if (p.dirty) {
                    rows.add(new Row(tp, p.nextOffset, p.eventTime));
                    p.dirty = false;
                }
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        // In one order on every replica: two replicas writing the same partitions after a rebalance
        // then lock their rows in the same order and cannot deadlock.
        rows.sort(Comparator.comparing((Row r) -> r.tp().topic()).thenComparingInt(r -> r.tp().partition()));
        Instant now = Clocks.now(clock);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (Row r : rows) {
                    em.createNativeQuery("INSERT INTO consumed_partition (topic, partition, next_offset, "
                                    + "event_time_watermark, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                                    + "ON CONFLICT (topic, partition) DO UPDATE SET "
                                    + "next_offset = greatest(consumed_partition.next_offset, excluded.next_offset), "
                                    + "event_time_watermark = greatest(consumed_partition.event_time_watermark, excluded.event_time_watermark), "
                                    + "updated_at = excluded.updated_at")
                            .setParameter(1, r.tp().topic())
                            .setParameter(2, r.tp().partition())
                            .setParameter(3, r.nextOffset())
                            .setParameter(5, now)
                            .unwrap(NativeQuery.class)
                            .setParameter(4, r.eventTime(), Instant.class)
                            .executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            // Not written: mark them again so the next flush tries (values only rise, so nothing is lost).
            rows.forEach(r -> {
                Progress p = read.get(r.tp());
                synchronized (p) {
                    p.dirty = true;
                }
            });
            throw e;
        }
    }
}
