package redress.audit.consume;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import redress.audit.log.AuditLog;
import redress.audit.log.Canonical;
import redress.audit.log.Received;
import redress.support.consume.BatchConsumer;

/**
 * Feeds the log from the three case topics and {@code audit.access} (auditors' reads), a poll's
 * worth of records per transaction. Records that are not well-formed envelopes go to
 * {@code <topic>.dlq}; everything else is appended, known
 * type or not. While the database is unavailable the batch is retried in place (the records stay
 * unacknowledged), so an outage never loses or dead-letters anything. The log drops events it
 * already holds, so a redelivered batch adds nothing. An envelope with a number RFC 8785 cannot
 * write exactly is logged as its received text ({@link Canonical#envelope}).
 */
@ApplicationScoped
public class AuditConsumer {

    private final AuditLog log;
    private final BatchConsumer consumer;

    public AuditConsumer(AuditLog log, BatchConsumer consumer) {
        this.log = log;
        this.consumer = consumer;
    }

    @Incoming("audit-in")
    @Blocking
    public void ingest(ConsumerRecords<String, String> records) {
        consumer.consume(
                records,
                batch -> log.append(batch.stream()
                        .map(c -> new Received(
                                c.event(),
                                Canonical.envelope(c.envelope(), c.text()),
                                c.record().topic()))
                        .toList()));
    }
}
