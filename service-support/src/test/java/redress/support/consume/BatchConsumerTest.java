package redress.support.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.EventCodec;
import redress.events.EventFormatException;
import redress.events.payload.CaseStatusChanged;

/**
 * A poll's records reach the handler in order, in slices no larger than one transaction may take;
 * an event reads the same whichever content mode another producer sent it in.
 */
class BatchConsumerTest {

    @Test
    void aPollIsHandedOverInOrderedSlicesOfAtMostTheConfiguredSize() {
        List<CaseEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(event());
        }
        List<List<UUID>> handed = new ArrayList<>();

        new BatchConsumer(null, 3)
                .consume(
                        records(events),
                        batch -> handed.add(
                                batch.stream().map(c -> c.event().id()).toList()));

        assertEquals(List.of(3, 3, 1), handed.stream().map(List::size).toList());
        assertEquals(
                events.stream().map(CaseEvent::id).toList(),
                handed.stream().flatMap(List::stream).toList());
    }

    @Test
    void aSliceOfAtLeastOneRecordIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new BatchConsumer(null, 0));
    }

    /** An event as another producer writes it with the CloudEvents SDK's Kafka serializer. */
    private static ConsumerRecord<String, String> bySdk(CaseEvent e, Encoding encoding) throws Exception {
        CloudEventBuilder b = CloudEventBuilder.v1()
                .withId(e.id().toString())
                .withType(e.type())
                .withSource(URI.create(e.source()))
                .withSubject(e.subject())
                .withTime(e.time().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(URI.create(e.dataschema()))
                .withExtension("correlationid", e.correlationid().toString())
                .withExtension("actortype", e.actortype().wire())
                .withExtension("actorid", e.actorid())
                .withExtension("customerid", e.customerid())
                .withData(EventCodec.mapper().writeValueAsBytes(e.data()));
        RecordHeaders headers = new RecordHeaders();
        byte[] value;
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(
                    Map.of(
                            CloudEventSerializer.ENCODING_CONFIG,
                            encoding,
                            CloudEventSerializer.EVENT_FORMAT_CONFIG,
                            JsonFormat.CONTENT_TYPE),
                    false);
            value = serializer.serialize("case.events", headers, b.build());
        }
        return record(headers, new String(value, StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, String> record(RecordHeaders headers, String value) {
        return new ConsumerRecord<>(
                "case.events",
                0,
                0,
                ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE,
                -1,
                -1,
                "key",
                value,
                headers,
                Optional.empty());
    }

    /** What the consumer hands over for one record. */
    private static BatchConsumer.Consumed consumed(ConsumerRecord<String, String> r) {
        List<BatchConsumer.Consumed> handed = new ArrayList<>();
        new BatchConsumer(null, 10)
                .consume(
                        new ConsumerRecords<>(Map.of(new TopicPartition("case.events", 0), List.of(r)), Map.of()),
                        handed::addAll);
        assertEquals(1, handed.size());
        return handed.get(0);
    }

    @Test
    void anEventAnotherProducerSentInBinaryModeIsReadAsTheSameEvent() throws Exception {
        CaseEvent e = event();
        ConsumerRecord<String, String> r = bySdk(e, Encoding.BINARY);
        assertEquals(
                EventCodec.mapper()
                        .readTree(EventCodec.encode(e).getBytes(StandardCharsets.UTF_8))
                        .get("data"),
                EventCodec.mapper().readTree(r.value()),
                "binary mode: the value is the data alone");

        BatchConsumer.Consumed c = consumed(r);
        assertEquals(e, c.event());
        assertEquals(e.customerid(), c.envelope().get("customerid").asText(), "an extension attribute");
        assertEquals(e, EventCodec.decode(c.text()), "the structured text of the envelope");
    }

    @Test
    void anEventAnotherProducerSentInStructuredModeIsReadAsTheSameEvent() throws Exception {
        CaseEvent e = event();
        BatchConsumer.Consumed c = consumed(bySdk(e, Encoding.STRUCTURED));
        assertEquals(e, c.event());
        assertEquals(c.record().value(), c.text(), "structured mode: the value is the envelope");
    }

    @Test
    void aBinaryModeRecordIsRefusedWhereItsStructuredTextWouldBe() {
        UUID id = UUID.randomUUID();
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", bytes("1.0"));
        h.add("ce_id", bytes(id.toString()));
        h.add("ce_type", bytes("redress.case.status-changed"));
        h.add("ce_source", bytes("/elsewhere"));
        h.add("ce_subject", bytes(id.toString()));
        h.add("ce_time", bytes("2026-12-07T10:00:00Z"));
        h.add("content-type", bytes("application/json"));
        // Data that would add an attribute, or replace one, were it pasted in unread.
        for (String data : List.of("{}, \"subject\": \"another\"", "{\"a\": 1} {\"b\": 2}", "not json", "")) {
            EventFormatException ex =
                    assertThrows(EventFormatException.class, () -> BatchConsumer.envelopeText(record(h, data)), data);
            assertTrue(ex.getMessage().startsWith("data "), ex.getMessage());
        }
        // No data: the envelope is refused as a structured one without data is.
        assertThrows(EventFormatException.class, () -> EventCodec.decode(BatchConsumer.envelopeText(record(h, null))));
        // A ce_data header is not the data.
        RecordHeaders withDataHeader = new RecordHeaders(h.toArray());
        withDataHeader.add("ce_data", bytes("{}"));
        assertThrows(
                EventFormatException.class,
                () -> EventCodec.decode(BatchConsumer.envelopeText(record(withDataHeader, null))));
        // Data the reader cannot read.
        RecordHeaders xml = new RecordHeaders(h.toArray());
        xml.remove("content-type");
        xml.add("content-type", bytes("application/xml"));
        assertThrows(EventFormatException.class, () -> BatchConsumer.envelopeText(record(xml, "<data/>")));
        // The same record read as its structured text: the data's own text, numbers as sent.
        String text = BatchConsumer.envelopeText(record(h, "{\"amount\": 12.30000000000000000001}"));
        assertTrue(text.endsWith("\"data\":{\"amount\": 12.30000000000000000001}}"), text);
    }

    @Test
    void aRecordWhoseContentTypeNamesACloudEventsFormatIsStructuredWhateverItsHeaders() {
        CaseEvent e = event();
        RecordHeaders h = new RecordHeaders();
        h.add("content-type", bytes("Application/CloudEvents+JSON"));
        h.add("ce_specversion", bytes("1.0"));
        assertEquals(EventCodec.encode(e), BatchConsumer.envelopeText(record(h, EventCodec.encode(e))));
        // Neither header: read as structured (the value is an envelope, or it is dead-lettered).
        assertEquals("{}", BatchConsumer.envelopeText(record(new RecordHeaders(), "{}")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static CaseEvent event() {
        UUID caseId = UUID.randomUUID();
        return CaseEvent.create(
                "/intake-service",
                new Actor(ActorType.AGENT, "agent-7"),
                "C-1",
                new CaseStatusChanged(caseId, "CMP-2026-000001", CaseStatus.OPEN, CaseStatus.IN_PROGRESS, "picked up"),
                null,
                null);
    }

    private static ConsumerRecords<String, String> records(List<CaseEvent> events) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            CaseEvent e = events.get(i);
            records.add(new ConsumerRecord<>("case.events", 0, i, e.subject(), EventCodec.encode(e)));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition("case.events", 0), records), Map.of());
    }
}
