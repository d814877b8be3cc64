package redress.escalation.history;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.CaseEvent;
import redress.events.EventCodec;

/**
 * The only reader and writer of {@code case_history}: each consumed event, whole, stored in the
 * transaction of its ledger entry; briefings read a case's story from here, and a dry-run replays
 * it. JDBC on the service's DataSource, in the caller's transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CaseHistoryStore {

    /** An event as consumed: decoded, its record's value as it came, and the topic it came from. */
    public record Recorded(CaseEvent event, String value, String topic) {}

    /** One recorded event of a case: its place in the order of recording, and the event. */
    public record Entry(long seq, CaseEvent event) {}

    /**
     * A stored event's place in the order a dry-run replays the history: by case, each case's events
     * by (time, event id), the row's own seq last so that the order is total even if one event were
     * stored twice. Values are as stored (time in microseconds), so that a key read back compares
     * equal to its row.
     */
    public record Key(UUID caseId, Instant time, UUID eventId, long seq) {}

    /** A stored event as a replay reads it: its place in the order, and its record's value as received. */
    public record Stored(Key key, byte[] envelope) {}

    private final DataSource dataSource;

    public CaseHistoryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the events, whole, in one batch of inserts. */
    public void recordAll(List<Recorded> events, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO case_history "
                                + "(event_id, case_id, type, time, topic, envelope, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Recorded r : events) {
                ps.setObject(1, r.event().id());
                ps.setObject(2, r.event().caseId());
                ps.setString(3, r.event().type());
                ps.setObject(4, OffsetDateTime.ofInstant(r.event().time(), ZoneOffset.UTC));
                ps.setString(5, r.topic());
                ps.setBytes(6, r.value().getBytes(StandardCharsets.UTF_8));
                ps.setObject(7, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the events' history", e);
        }
    }

    /**
     * The cases' events, each case's in (time, id) order, in one query: each case looked up on
     * its own through the (case, time, id) index (LATERAL); a join of the ids as a set was planned
     * as a scan of the whole history.
     */
    public Map<UUID, List<Entry>> ofCases(Set<UUID> caseIds) {
        Map<UUID, List<Entry>> all = new HashMap<>();
        if (caseIds.isEmpty()) {
            return all;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT k.id, h.seq, h.envelope FROM unnest(?::uuid[]) AS k(id) CROSS JOIN LATERAL "
                                + "(SELECT seq, envelope, time, event_id FROM case_history WHERE case_id = k.id OFFSET 0) h "
                                + "ORDER BY k.id, h.time, h.event_id")) {
            select.setArray(1, c.createArrayOf("uuid", caseIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new Entry(
                                    rs.getLong(2),
                                    EventCodec.decode(new String(rs.getBytes(3), StandardCharsets.UTF_8))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cases' history", e);
        }
        return all;
    }

    /**
     * The next {@code size} stored events after {@code after} (from the start when null), in
     * {@link Key} order. A replay runs under READ COMMITTED while events are being recorded, and each
     * page sees what was committed by the time it is read. Paged by OFFSET, a row recorded (or
     * deleted) before the replay's position shifted every later row by one, so that a row was
     * replayed twice (or left out), and each page read again all the rows before it: quadratic over
     * a large history. Paged by key, each page starts right after the last row replayed, whatever
     * changed before it, and is one descent of the (case, time, event id) index.
     */
    public List<Stored> after(Key after, int size) {
        List<Stored> page = new ArrayList<>(size);
        String where = after == null ? "" : "WHERE (case_id, time, event_id, seq) > (?, ?, ?, ?) ";
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT case_id, time, event_id, seq, envelope "
                        + "FROM case_history " + where + "ORDER BY case_id, time, event_id, seq LIMIT ?")) {
            int i = 1;
            if (after != null) {
                select.setObject(i++, after.caseId());
                select.setObject(i++, OffsetDateTime.ofInstant(after.time(), ZoneOffset.UTC));
                select.setObject(i++, after.eventId());
                select.setLong(i++, after.seq());
            }
            select.setInt(i, size);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    page.add(new Stored(
                            new Key(
                                    rs.getObject(1, UUID.class),
                                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                                    rs.getObject(3, UUID.class),
                                    rs.getLong(4)),
                            rs.getBytes(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stored history", e);
        }
        return page;
    }
}
