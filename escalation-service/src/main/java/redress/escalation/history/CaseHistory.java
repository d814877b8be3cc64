package redress.escalation.history;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.CaseEvent;
import redress.events.EventCodec;

/**
 * One consumed event, whole, stored in the transaction of its ledger entry: briefings read a case's
 * story from here, and a dry-run will replay it.
 */
@Entity
public class CaseHistory extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    public UUID eventId;
    public UUID caseId;
    public String type;
    public Instant time;
    public String topic;
    public byte[] envelope;
    public Instant recordedAt;

    public static CaseHistory record(CaseEvent event, String topic, Instant now) {
        CaseHistory h = new CaseHistory();
        h.eventId = event.id();
        h.caseId = event.caseId();
        h.type = event.type();
        h.time = event.time();
        h.topic = topic;
        h.envelope = EventCodec.encode(event).getBytes(StandardCharsets.UTF_8);
        h.recordedAt = now;
        h.persist();
        return h;
    }

    /** A case's events in (time, id) order. */
    public static List<CaseEvent> ofCase(UUID caseId) {
        return CaseHistory.<CaseHistory>list("caseId = ?1 order by time, eventId", caseId).stream()
                .map(h -> EventCodec.decode(new String(h.envelope, StandardCharsets.UTF_8))).toList();
    }
}
