package redress.support.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import redress.events.Topics;

/**
 * Dead letters for consumers that take records in batches (where SmallRye's per-message failure
 * strategy does not fit): the record goes to {@code <topic>.dlq} unchanged, with the same
 * {@code dead-letter-*} headers SmallRye's strategy writes, and the call returns only once Kafka
 * has it, so the batch may then be acknowledged without losing it.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final KafkaClients kafka;
    private volatile KafkaProducer<String, String> producer;

    public DeadLetters(KafkaClients kafka) {
        this.kafka = kafka;
    }

    public void send(ConsumerRecord<String, String> record, Throwable reason) {
        ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.dlq(record.topic()), record.key(), record.value());
        record.headers().forEach(h -> dead.headers().add(h));
        header(dead, "dead-letter-reason", String.valueOf(reason.getMessage()));
        if (reason.getCause() != null) {
            header(dead, "dead-letter-cause", String.valueOf(reason.getCause().getMessage()));
        }
        header(dead, "dead-letter-exception-class-name", reason.getClass().getName());
        header(dead, "dead-letter-topic", record.topic());
        header(dead, "dead-letter-partition", String.valueOf(record.partition()));
        header(dead, "dead-letter-offset", String.valueOf(record.offset()));
        try {
            producer().send(dead).get(30, TimeUnit.SECONDS);
            LOG.warnf("dead-lettered %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot dead-letter " + record.topic() + "-" + record.partition() + "@"
                    + record.offset(), e);
        }
    }

    private static void header(ProducerRecord<String, String> r, String name, String value) {
        r.headers().remove(name);
        r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(kafka.config(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.CLIENT_ID_CONFIG, "dead-letters")),
                            new StringSerializer(), new StringSerializer());
                }
            }
        }
        return producer;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
