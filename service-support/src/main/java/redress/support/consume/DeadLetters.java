package redress.support.consume;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import redress.events.Topics;
import redress.support.Backoff;
import redress.support.kafka.KafkaClients;

/**
 * Dead letters for every consumer (per record and per batch alike; the channels' own failure
 * strategy is {@code fail}, so that nothing reaches a dead-letter topic but through here): the
 * record goes to {@code <topic>.dlq} unchanged, with the {@code dead-letter-*} headers SmallRye's
 * dead-letter strategy would write, and the call returns only once Kafka has it, so the record may
 * then be acknowledged without losing it.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private volatile KafkaProducer<String, String> producer;

    public DeadLetters(KafkaClients kafka) {
        this.kafka = kafka;
    }

    /**
     * Sends the dead letter, waiting out a broker that does not take it (the record is neither lost
     * nor skipped meanwhile).
     *
     * @throws ConsumerStopping when interrupted first (the record is left for redelivery)
     */
    public void sendWhenPossible(ConsumerRecord<String, String> record, Throwable reason) {
        Duration backoff = Duration.ofMillis(500);
        while (true) {
            try {
                send(record, reason);
                return;
            } catch (IllegalStateException e) {
                LOG.warnf(
                        "cannot dead-letter %s-%d@%d yet: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
                Retries.pause(
                        "dead-lettering " + record.topic() + "-" + record.partition() + "@" + record.offset(), backoff);
                backoff = Backoff.doubled(backoff, MAX_BACKOFF);
            }
        }
    }

    /**
     * @throws ConsumerStopping when interrupted (checked before sending, so an interrupted consumer
     *         never leaves a dead letter behind)
     * @throws IllegalStateException when Kafka does not take it within 30 s
     */
    public void send(ConsumerRecord<String, String> record, Throwable reason) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (Thread.currentThread().isInterrupted()) {
            throw new ConsumerStopping("dead-lettering " + where, null);
        }
        ProducerRecord<String, String> dead =
                new ProducerRecord<>(Topics.dlq(record.topic()), record.key(), record.value());
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
            LOG.warnf(
                    "dead-lettered %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), reason.getMessage());
        } catch (InterruptedException | InterruptException e) {
            // Sent or not, the record is redelivered: a dead letter beside it is a duplicate, not a loss.
            // (InterruptException is the producer's own, thrown when send() itself is interrupted.)
            Thread.currentThread().interrupt();
            throw new ConsumerStopping("dead-lettering " + where, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new IllegalStateException("cannot dead-letter " + where, e);
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
                    producer = new KafkaProducer<>(
                            kafka.config(Map.of(
                                    ProducerConfig.ACKS_CONFIG,
                                    "all",
                                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                    true,
                                    ProducerConfig.CLIENT_ID_CONFIG,
                                    "dead-letters")),
                            new StringSerializer(),
                            new StringSerializer());
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
