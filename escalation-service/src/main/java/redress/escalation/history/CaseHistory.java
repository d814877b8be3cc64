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

    /** An event as consumed: decoded, its record's value as it came, and the topic it came from. */
    public record Recorded(CaseEvent event, String value, String topic) {
    }

    /** Stores the events, whole, in one batch of inserts (a sequence-keyed row cannot be batched by Hibernate). */
    public static void recordAll(List<Recorded> events, Instant now) {
        getEntityManager().unwrap(org.hibernate.Session.class).doWork(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO case_history "
                    + "(event_id, case_id, type, time, topic, envelope, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Recorded r : events) {
                    ps.setObject(1, r.event().id());
                    ps.setObject(2, r.event().caseId());
                    ps.setString(3, r.event().type());
                    ps.setObject(4, java.time.OffsetDateTime.ofInstant(r.event().time(), java.time.ZoneOffset.UTC));
                    ps.setString(5, r.topic());
                    ps.setBytes(6, r.value().getBytes(StandardCharsets.UTF_8));
                    ps.setObject(7, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** One recorded event of a case: its place in the order of recording, and the event. */
    public record Entry(long seq, CaseEvent event) {
    }

    /**
     * The cases' events, each case's in (time, id) order, in one query: each case looked up on
     * its own through the (case, time, id) index (LATERAL); a join of the ids as a set was planned
     * as a scan of the whole history.
     */
    public static java.util.Map<UUID, List<Entry>> ofCases(java.util.Set<UUID> caseIds) {
        java.util.Map<UUID, List<Entry>> all = new java.util.HashMap<>();
        if (caseIds.isEmpty()) {
            return all;
        }
        getEntityManager().unwrap(org.hibernate.Session.class).doWork(c -> {
            try (java.sql.PreparedStatement select = c.prepareStatement("SELECT k.id, h.seq, h.envelope FROM unnest(?::uuid[]) AS k(id) CROSS JOIN LATERAL "
                    + "(SELECT seq, envelope, time, event_id FROM case_history WHERE case_id = k.id OFFSET 0) h "
                    + "ORDER BY k.id, h.time, h.event_id")) {
                select.setArray(1, c.createArrayOf("uuid", caseIds.toArray()));
                try (java.sql.ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        all.computeIfAbsent(rs.getObject(1, UUID.class), k -> new java.util.ArrayList<>()).add(new Entry(
                                rs.getLong(2), EventCodec.decode(new String(rs.getBytes(3), StandardCharsets.UTF_8))));
                    }
                }
            }
        });
        return all;
    }
}
