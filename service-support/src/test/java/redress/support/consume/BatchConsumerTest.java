package redress.support.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.EventCodec;
import redress.events.payload.CaseStatusChanged;

/** A poll's records reach the handler in order, in slices no larger than one transaction may take. */
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
