package redress.followup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.PromiseMade;
import redress.followup.consume.FollowupConsumer;
import redress.followup.wake.ConsumerProgress;
import redress.support.kafka.KafkaClients;

/**
 * The consumer's batches, handed to it as a poll would (a partition of a topic of this test's own,
 * so that the read-through gate, which asks only about the service's topics, is not touched): the
 * good records of a batch are applied around a poison one, which alone is dead-lettered; a batch
 * delivered again applies nothing twice; every record of it is noted as read.
 */
@QuarkusTest
@TestSecurity(user = "ana", roles = "agent")
class BatchConsumingTest extends Flows {

    @Inject
    FollowupConsumer consumer;

    @Inject
    ConsumerProgress progress;

    @Inject
    KafkaClients kafka;

    /** A topic name of this test's own, whose dead-letter topic exists. */
    String topicWithDeadLetters() throws Exception {
        String topic = "followup-batch-" + UUID.randomUUID();
        try (Admin admin = Admin.create(kafka.config(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(Topics.dlq(topic), 1, (short) 1)))
                    .all()
                    .get();
        }
        return topic;
    }

    /** The values as one poll's records of partition 0 of {@code topic}, from offset 0. */
    static ConsumerRecords<String, String> batch(String topic, String key, List<String> values) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(new ConsumerRecord<>(topic, 0, i, key, values.get(i)));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), records), Map.of());
    }

    @Test
    void aBatchAppliesItsGoodRecordsAroundAPoisonOneAndDeadLettersOnlyThePoison() throws Exception {
        Instant t0 = Instant.parse("2026-06-15T10:00:00Z");
        TestCase a = newCaseAt(t0);
        TestCase b = new TestCase();
        String topic = topicWithDeadLetters();
        // Names another case than its subject (its key): it cannot be applied, it is not transient.
        CaseEvent wrongSubject = a.at(
                t0, new PromiseMade(UUID.randomUUID(), a.reference, UUID.randomUUID(), UUID.randomUUID(), "x", t0));
        String poison = EventCodec.encode(wrongSubject)
                .replace("\"subject\":\"" + wrongSubject.subject() + "\"", "\"subject\":\"" + a.id + "\"");
        String unreadable = "{not json " + UUID.randomUUID();
        CaseEvent acknowledged = a.acknowledged(t0.plusSeconds(2));
        clock.set(t0.plusSeconds(3)); // event times later than now would be noted as now

        consumer.events(batch(
                topic,
                a.id.toString(),
                List.of(
                        EventCodec.encode(a.received(t0, "DEMO")),
                        poison,
                        EventCodec.encode(acknowledged),
                        unreadable,
                        EventCodec.encode(b.received(t0.plusSeconds(1), "DEMO")))));

        assertEquals(3, deadlines(a.id).size(), "the case before the poison: " + deadlines(a.id));
        assertEquals("MET", FlowTest.deadline(a.id, "ACKNOWLEDGEMENT").get("status"), "the event after it");
        assertEquals(3, deadlines(b.id).size(), "the case after both");
        assertEquals(
                0,
                count("SELECT count(*) FROM processed_event WHERE event_id = ?", wrongSubject.id()),
                "the poison is not in the ledger");
        List<String> dead = KAFKA.readAll(Topics.dlq(topic), r -> true).stream()
                .map(r -> r.value())
                .toList();
        // The unreadable record is dead-lettered as the batch is read, the poison once the batch is split.
        assertEquals(List.of(unreadable, poison), dead, "the unreadable record and the poison, nothing else");

        // Every record was dealt with, so every one is read: through offset 4, up to the latest event time.
        progress.flush();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT next_offset, event_time_watermark FROM consumed_partition WHERE topic = ? AND partition = 0")) {
            ps.setString(1, topic);
            try (ResultSet r = ps.executeQuery()) {
                assertTrue(r.next(), "the batch's partition is noted");
                assertEquals(5, r.getLong(1));
                assertEquals(t0.plusSeconds(2), r.getTimestamp(2).toInstant());
            }
        }
    }

    @Test
    void aBatchDeliveredAgainAppliesNothingTwice() throws Exception {
        Instant t0 = Instant.parse("2026-06-16T10:00:00Z");
        TestCase c = newCaseAt(t0);
        String topic = topicWithDeadLetters();
        CaseEvent handOver = FlowTest.escalated(
                c, t0.plusSeconds(5), UUID.randomUUID(), EscalationLevel.AGENT, EscalationLevel.SUPERVISOR);
        // The hand-over twice in the batch too, as a producer's retry would send it.
        List<String> values = List.of(
                EventCodec.encode(c.received(t0, "DEMO")),
                EventCodec.encode(handOver),
                EventCodec.encode(handOver),
                EventCodec.encode(c.acknowledged(t0.plusSeconds(10))));

        consumer.escalations(batch(topic, c.id.toString(), values));
        List<Map<String, Object>> first = deadlines(c.id);
        long outbox = count("SELECT count(*) FROM outbox WHERE record_key = ?", c.id.toString());
        consumer.escalations(batch(topic, c.id.toString(), values));

        List<Map<String, Object>> again = deadlines(c.id);
        assertEquals(first, again, "the same deadlines, in the same states");
        assertEquals(
                1,
                again.stream()
                        .filter(d -> "ESCALATION_RESPONSE".equals(d.get("kind")))
                        .count(),
                "one response deadline for the one hand-over: " + again);
        assertEquals(4, again.size(), "the profile's three and the hand-over's: " + again);
        assertEquals(
                outbox,
                count("SELECT count(*) FROM outbox WHERE record_key = ?", c.id.toString()),
                "no event emitted again");
        assertTrue(outbox >= 1, "the hand-over's customer notice was emitted");
        assertEquals(
                1, count("SELECT count(*) FROM processed_event WHERE event_id = ?", handOver.id()), "claimed once");
        assertTrue(KAFKA.readAll(Topics.dlq(topic), r -> true).isEmpty(), "nothing dead-lettered");
    }

    /**
     * Issue 30: a run of receipts of cases new to this service is flushed once, at its end (its
     * inserts one JDBC batch a table), where every other event is flushed on its own. A batch that
     * interleaves such receipts with later events of the same cases, with an event of a case known
     * before, and with a receipt delivered twice, leaves what the same events leave applied one
     * batch each: the same deadlines, reminders and case rows.
     */
    @Test
    void receiptsOfNewCasesAmongOtherEventsLeaveWhatOneBatchAnEventLeaves() throws Exception {
        Instant t0 = Instant.parse("2026-06-23T10:00:00Z");
        clock.set(t0.plusSeconds(60));
        List<List<Map<String, Object>>> worlds = new ArrayList<>();
        for (boolean oneBatch : List.of(true, false)) {
            TestCase known = new TestCase();
            TestCase x = new TestCase();
            TestCase y = new TestCase();
            TestCase z = new TestCase();
            consumer.events(StatementsPerBatchTest.batch(List.of(known.received(t0, "UK_FCA_DISP"))));
            CaseEvent yReceived = y.received(t0.plusSeconds(1), "UK_FCA_DISP");
            List<CaseEvent> events = List.of(
                    x.received(t0, "UK_FCA_DISP"),
                    yReceived,
                    x.acknowledged(t0.plusSeconds(10)),
                    known.acknowledged(t0.plusSeconds(11)),
                    z.received(t0.plusSeconds(2), "DEMO"),
                    yReceived,
                    y.status(t0.plusSeconds(20), CaseStatus.OPEN, CaseStatus.AWAITING_CUSTOMER),
                    x.resolved(t0.plusSeconds(30)));
            if (oneBatch) {
                consumer.events(StatementsPerBatchTest.batch(events));
            } else {
                for (CaseEvent e : events) {
                    consumer.events(StatementsPerBatchTest.batch(List.of(e)));
                }
            }
            List<Map<String, Object>> world = new ArrayList<>();
            for (TestCase c : List.of(known, x, y, z)) {
                world.add(Map.of(
                        "deadlines", withoutIds(deadlines(c.id)),
                        "reminders",
                                withoutIds(given().get("/cases/{id}/progress-updates", c.id)
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .jsonPath()
                                        .getList("items")),
                        "case",
                                row(
                                        "SELECT profile, profile_version, received_at, status, last_heard_at, "
                                                + "last_heard_by, paused_since FROM case_state WHERE case_id = ?",
                                        c.id)));
            }
            worlds.add(world);
        }
        assertEquals(worlds.get(1), worlds.get(0), "one batch against one batch an event");
        assertEquals(3, ((List<?>) worlds.get(0).get(1).get("deadlines")).size(), "x's three deadlines");
    }

    /** The value without what differs between two runs of the same events: ids and references. */
    static Object withoutIds(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> kept = new TreeMap<>();
            m.forEach((k, v) -> {
                String key = k.toString();
                if (!key.equals("id") && !key.endsWith("Id") && !key.equals("reference")) {
                    kept.put(key, withoutIds(v));
                }
            });
            return kept;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(BatchConsumingTest::withoutIds).toList();
        }
        return value;
    }

    /** One row's columns, by name. */
    Map<String, Object> row(String sql, UUID caseId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, caseId);
            try (ResultSet r = ps.executeQuery()) {
                assertTrue(r.next(), "a row of " + caseId);
                Map<String, Object> row = new TreeMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.put(r.getMetaData().getColumnName(i), String.valueOf(r.getObject(i)));
                }
                return row;
            }
        }
    }
}
