package redress.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import redress.events.CaseEvent;
import redress.events.EventCodec;

/** Plain Kafka clients for tests: produce raw records, read a topic from the beginning. */
public final class KafkaTestClient {

    /** A record as read back, with its headers as strings. */
    public record Received(
            String topic, int partition, long offset, String key, String value, Map<String, String> headers) {
        public CaseEvent event() {
            return EventCodec.decode(value);
        }
    }

    private final String bootstrapServers;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaTestClient forTests() {
        return new KafkaTestClient(TestInfrastructure.get().bootstrapServers());
    }

    public void send(String topic, String key, String value) {
        send(topic, key, value, Map.of());
    }

    public void send(String topic, String key, String value, Map<String, String> headers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(r).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e.getCause());
        }
    }

    /** Sends many events through one producer (a producer per record costs milliseconds each), all acknowledged on return. */
    public void sendAll(String topic, List<CaseEvent> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (CaseEvent event : events) {
                ProducerRecord<String, String> r =
                        new ProducerRecord<>(topic, event.subject(), EventCodec.encode(event));
                r.headers().add("content-type", EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(r));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e.getCause());
        }
    }

    public void send(String topic, CaseEvent event) {
        send(topic, event.subject(), EventCodec.encode(event), Map.of("content-type", EventCodec.CONTENT_TYPE));
    }

    /** Every record now on the topic (all partitions, from the beginning) that matches. */
    public List<Received> readAll(String topic, Predicate<Received> filter) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Received> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (Header h : r.headers()) {
                        headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                    }
                    Received rec = new Received(r.topic(), r.partition(), r.offset(), r.key(), r.value(), headers);
                    if (filter.test(rec)) {
                        out.add(rec);
                    }
                }
            }
        }
        return out;
    }

    /** The events of one case on a topic, in topic order. */
    public List<Received> caseRecords(String topic, UUID caseId) {
        return readAll(topic, r -> caseId.toString().equals(r.key()));
    }

    /** The values of the records of {@code topic} with {@code key}, in topic order. */
    public List<String> values(String topic, String key) {
        return readAll(topic, r -> key.equals(r.key())).stream()
                .map(Received::value)
                .toList();
    }

    /** A fresh topic of three partitions, its name {@code prefix} and a random id, with the given settings. */
    public String newTopic(String prefix, Map<String, String> configs) throws Exception {
        String topic = prefix + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(configs)))
                    .all()
                    .get();
        }
        return topic;
    }

    /** Sets one setting of {@code topic}, as an operator would. */
    public void setTopicConfig(String topic, String name, String value) throws Exception {
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, topic),
                            List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
