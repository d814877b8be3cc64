package redress.followup.wake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import redress.support.kafka.KafkaClients;
import redress.support.kafka.LazyAdmin;
import redress.support.time.Clocks;

/**
 * The time up to which this service has read everything that can meet a deadline, keep a promise
 * or settle a follow-up: the earliest, over every partition of the topics it consumes, of
 * <ul>
 * <li>the time the broker's end offsets were asked for, when everything below the partition's end
 * offset has been read (by any replica: its flushed progress, or the group's committed offset,
 * which is committed only after a record was dealt with);</li>
 * <li>otherwise the latest event time read on that partition (none yet: nothing is read through).</li>
 * </ul>
 * The waker fires only what was due by then (PITFALLS 19): a paused, restarted or lagging consumer
 * holds the firing back instead of announcing a breach that an unread event would have prevented.
 * Every partition counts, not only the one a case's key hashes to, because another producer may
 * place a case's records with another partitioner.
 */
@ApplicationScoped
public class ReadThrough {

    private static final Duration PARTITIONS_TTL = Duration.ofMinutes(1);

    private final List<String> topics;
    private final String group;
    private final KafkaClients kafka;
    private final ConsumerProgress progress;
    private final EntityManager em;
    private final Clock clock;
    private final LazyAdmin admin;
    private volatile List<TopicPartition> partitions;
    private volatile Instant partitionsRead = Instant.EPOCH;
    /** The latest read-through time found; the start-up time until one is: the lag grows while none can be found. */
    private volatile Instant last;

    public ReadThrough(
            @ConfigProperty(name = "mp.messaging.incoming.case-events-in.topic") String events,
            @ConfigProperty(name = "mp.messaging.incoming.case-escalations-in.topic") String escalations,
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.group.id") String group,
            KafkaClients kafka,
            ConsumerProgress progress,
            EntityManager em,
            Clock clock,
            MeterRegistry registry) {
        this.topics = List.of(events, escalations);
        this.group = group;
        this.kafka = kafka;
        this.admin = new LazyAdmin(kafka, "followup-read-through", Duration.ofMillis(3000), Duration.ofMillis(5000));
        this.progress = progress;
        this.em = em;
        this.clock = clock;
        this.last = Clocks.now(clock);
        Gauge.builder("redress_followup_read_through_lag_seconds", this, r -> r.lagSeconds())
                .description("How far behind now the time is up to which every consumed partition has been read")
                .register(registry);
    }

    /**
     * The time up to which every partition has been read, or empty when it cannot be known now (the
     * broker does not answer) or a partition has not been read at all.
     */
    public Optional<Instant> now() {
        Instant asked = Clocks.now(clock);
        Map<TopicPartition, Long> ends;
        Map<TopicPartition, Long> committed;
        try {
            List<TopicPartition> all = partitions(asked);
            ListOffsetsResult offsets = admin.get()
                    .listOffsets(all.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())));
            ends = new HashMap<>();
            for (TopicPartition tp : all) {
                ends.put(
                        tp, offsets.partitionResult(tp).get(5, TimeUnit.SECONDS).offset());
            }
            committed = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> c = admin.get()
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(5, TimeUnit.SECONDS);
            c.forEach((tp, o) -> {
                if (o != null) {
                    committed.put(tp, o.offset());
                }
            });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Log.warnf("cannot tell how far the consumers have read (%s); nothing is fired until it can", e.toString());
            return Optional.empty();
        }
        progress.flush();
        Map<TopicPartition, Row> rows = rows();
        Instant through = asked;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            TopicPartition tp = end.getKey();
            Row row = rows.get(tp);
            long applied = Math.max(row == null ? 0 : row.nextOffset(), committed.getOrDefault(tp, 0L));
            if (applied >= end.getValue()) {
                continue;
            }
            if (row == null || row.eventTime() == null) {
                return Optional.empty();
            }
            if (row.eventTime().isBefore(through)) {
                through = row.eventTime();
            }
        }
        last = through;
        return Optional.of(through);
    }

    private record Row(long nextOffset, Instant eventTime) {}

    private Map<TopicPartition, Row> rows() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<TopicPartition, Row> rows = new HashMap<>();
            @SuppressWarnings("unchecked")
            List<Object[]> result = em.createNativeQuery(
                            "SELECT topic, partition, next_offset, event_time_watermark FROM consumed_partition")
                    .unwrap(NativeQuery.class)
                    .addScalar("topic", String.class)
                    .addScalar("partition", Integer.class)
                    .addScalar("next_offset", Long.class)
                    .addScalar("event_time_watermark", Instant.class)
                    .getResultList();
            for (Object[] r : result) {
                rows.put(new TopicPartition((String) r[0], (Integer) r[1]), new Row((Long) r[2], (Instant) r[3]));
            }
            return rows;
        });
    }

    private List<TopicPartition> partitions(Instant now) throws Exception {
        if (partitions == null || Duration.between(partitionsRead, now).abs().compareTo(PARTITIONS_TTL) > 0) {
            Map<String, TopicDescription> described =
                    admin.get().describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
            partitions = described.values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .toList();
            partitionsRead = now;
        }
        return partitions;
    }

    private double lagSeconds() {
        return Math.max(0, Duration.between(last, Clocks.now(clock)).toMillis() / 1000.0);
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
