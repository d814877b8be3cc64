package redress.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.ComplaintReceived;
import redress.support.consume.BatchConsumer;
import redress.support.consume.ConsumerStopping;
import redress.testsupport.KafkaTestClient;

/**
 * A service stopping while a consumer waits out a transient failure (its thread interrupted, as
 * Quarkus does at shutdown) leaves the record for redelivery: it is neither dead-lettered nor
 * reported applied. Before, the interrupt broke the retry loop with an error, the batch was split
 * and each record dead-lettered (the producer sent it though the wait for its acknowledgement was
 * interrupted), and the per-record channels' {@code dead-letter-queue} strategy dead-lettered the
 * record the error was thrown for: a good record lost to {@code <topic>.dlq} by a restart.
 */
@QuarkusTest
class StoppingTest {

    static final KafkaTestClient KAFKA = KafkaTestClient.forTests();
    /** How long a dead letter, had one been sent, would take at most to be readable. */
    static final Duration DEAD_LETTER_VISIBLE = Duration.ofSeconds(3);

    @Inject
    BatchConsumer batches;

    @Test
    void aBatchInterruptedWhileWaitingOutTheDatabaseIsNotDeadLettered() throws Exception {
        ConsumerRecord<String, String> record = record();
        AtomicInteger attempts = new AtomicInteger();
        assertStoppedWithoutDeadLetter(
                record,
                attempts,
                () -> batches.consume(poll(record), batch -> {
                    attempts.incrementAndGet();
                    throw new SQLException("the database is unreachable", "08006");
                }));
    }

    @Test
    void aRecordThatFailsForGoodIsStillDeadLetteredByTheConsumer() {
        ConsumerRecord<String, String> record = record();
        batches.consume(poll(record), batch -> {
            throw new IllegalArgumentException("no such case");
        });

        List<KafkaTestClient.Received> dead = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> KAFKA.readAll(
                                Topics.dlq(Topics.CASE_EVENTS),
                                r -> record.key().equals(r.key())),
                        l -> l.size() == 1);
        assertEquals("no such case", dead.get(0).headers().get("dead-letter-reason"));
        assertEquals(String.valueOf(record.offset()), dead.get(0).headers().get("dead-letter-offset"));
    }

    @Test
    void whatIsThrownToTheChannelsIsLeftUnacknowledgedNotDeadLettered() {
        // ConsumerStopping reaches the channel; under SmallRye's dead-letter-queue strategy it would
        // dead-letter the whole batch, under ignore it would acknowledge it.
        assertEquals(
                "fail",
                ConfigProvider.getConfig()
                        .getValue("mp.messaging.connector.smallrye-kafka.failure-strategy", String.class));
    }

    /** Runs {@code work} on a thread of its own, interrupts it once it has failed twice, and returns what it threw. */
    private static Throwable interruptedAfterTwoAttempts(AtomicInteger attempts, Runnable work) throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        CompletableFuture<Void> done = CompletableFuture.runAsync(
                () -> {
                    worker.set(Thread.currentThread());
                    work.run();
                },
                r -> new Thread(r, "stopping-test").start());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 2);
        worker.get().interrupt();
        try {
            done.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Runs {@code work} until it has failed twice and interrupts it: it stops, and {@code record} is not dead-lettered. */
    private static void assertStoppedWithoutDeadLetter(
            ConsumerRecord<String, String> record, AtomicInteger attempts, Runnable work) throws Exception {
        Throwable thrown = interruptedAfterTwoAttempts(attempts, work);
        assertInstanceOf(ConsumerStopping.class, thrown, String.valueOf(thrown));
        assertNoDeadLetter(record);
    }

    private static void assertNoDeadLetter(ConsumerRecord<String, String> record) throws InterruptedException {
        Thread.sleep(DEAD_LETTER_VISIBLE.toMillis());
        assertTrue(
                KAFKA.readAll(Topics.dlq(Topics.CASE_EVENTS), r -> record.key().equals(r.key()))
                        .isEmpty(),
                "a good record was dead-lettered because its consumer was stopping");
    }

    /** A poll of this one record. */
    private static ConsumerRecords<String, String> poll(ConsumerRecord<String, String> record) {
        return new ConsumerRecords<>(Map.of(new TopicPartition(record.topic(), record.partition()), List.of(record)));
    }

    /** A well-formed complaint of a case of its own, as if read at some offset of {@code case.events}. */
    private static ConsumerRecord<String, String> record() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CaseEvent event = CaseEvent.create(
                "/intake-service",
                new Actor(ActorType.AGENT, "ana"),
                "C-stopping",
                ComplaintReceived.builder()
                        .caseId(id)
                        .reference("CMP-2026-000001")
                        .channel(Channel.WEB)
                        .category("billing")
                        .product("card")
                        .summary("Charged twice")
                        .severity(Severity.LOW)
                        .level(EscalationLevel.AGENT)
                        .status(CaseStatus.OPEN)
                        .regulatoryProfile("DEFAULT")
                        .receivedAt(now)
                        .registeredAt(now)
                        .build(),
                null,
                null);
        return new ConsumerRecord<>(
                Topics.CASE_EVENTS,
                0,
                4_000_000_000L + (id.getMostSignificantBits() & 0xffff),
                id.toString(),
                EventCodec.encode(event));
    }
}
