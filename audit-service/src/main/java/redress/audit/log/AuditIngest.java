package redress.audit.log;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import redress.events.CaseEvent;
import redress.support.Backoff;
import redress.events.EventCodec;
import redress.events.EventFormatException;
import redress.support.kafka.DeadLetters;
import redress.support.ledger.EventConsumer;

/**
 * Feeds the log from the three case topics, a poll's worth of records per transaction. Records
 * that are not well-formed envelopes go to {@code <topic>.dlq}; everything else is appended, known
 * type or not. While the database is unavailable the batch is retried in place (the records stay
 * unacknowledged), so an outage never loses or dead-letters anything.
 */
@ApplicationScoped
public class AuditIngest {

    private static final int ATTEMPTS_BEFORE_ONE_BY_ONE = 3;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final AuditLog log;
    private final DeadLetters deadLetters;

    public AuditIngest(AuditLog log, DeadLetters deadLetters) {
        this.log = log;
        this.deadLetters = deadLetters;
    }

    @Incoming("audit-in")
    @Blocking
    public void ingest(ConsumerRecords<String, String> records) {
        List<Received> wellFormed = new ArrayList<>();
        List<ConsumerRecord<String, String>> sources = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            try {
                wellFormed.add(parse(r));
                sources.add(r);
            } catch (EventFormatException e) {
                deadLetter(r, e);
            }
        }
        appendWithRetry(wellFormed, sources);
    }

    static Received parse(ConsumerRecord<String, String> r) {
        CaseEvent e = EventCodec.decode(r.value());
        try {
            return new Received(e, EventCodec.mapper().readTree(r.value()), r.topic());
        } catch (JsonProcessingException ex) {
            throw new EventFormatException("not JSON", ex);
        }
    }

    private void appendWithRetry(List<Received> batch, List<ConsumerRecord<String, String>> sources) {
        Duration backoff = Duration.ofMillis(200);
        for (int attempt = 1;; attempt++) {
            try {
                log.append(batch);
                return;
            } catch (SQLException | RuntimeException e) {
                if (!EventConsumer.isTransient(e) && attempt >= ATTEMPTS_BEFORE_ONE_BY_ONE) {
                    Log.errorf(e, "a batch of %d entries keeps failing; appending them one by one", batch.size());
                    oneByOne(batch, sources);
                    return;
                }
                Log.warnf("append of %d entries failed (attempt %d), retrying: %s", batch.size(), attempt, e.toString());
                Backoff.sleepOrFail(backoff);
                backoff = Backoff.doubled(backoff, MAX_BACKOFF);
            }
        }
    }

    /** Isolates the record that cannot be appended, so that it alone is dead-lettered. */
    private void oneByOne(List<Received> batch, List<ConsumerRecord<String, String>> sources) {
        for (int i = 0; i < batch.size(); i++) {
            List<Received> single = List.of(batch.get(i));
            try {
                log.append(single);
            } catch (SQLException | RuntimeException e) {
                if (EventConsumer.isTransient(e)) {
                    appendWithRetry(single, List.of(sources.get(i)));
                } else {
                    deadLetter(sources.get(i), e);
                }
            }
        }
    }

    /** Kafka unavailable for the dead letter is waited out: the record is neither lost nor skipped. */
    private void deadLetter(ConsumerRecord<String, String> r, Exception reason) {
        Duration backoff = Duration.ofMillis(500);
        while (true) {
            try {
                deadLetters.send(r, reason);
                return;
            } catch (IllegalStateException e) {
                Log.warnf("cannot dead-letter %s-%d@%d yet: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                Backoff.sleepOrFail(backoff);
                backoff = Backoff.doubled(backoff, MAX_BACKOFF);
            }
        }
    }
}
