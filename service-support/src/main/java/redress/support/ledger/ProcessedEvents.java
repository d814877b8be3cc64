package redress.support.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.CaseEvent;

/**
 * The processed-event ledger of idempotent consumers. Claiming an event inserts its id in the
 * consumer's own transaction; a redelivered event finds its row and is skipped, without an error
 * and without aborting the transaction ({@code ON CONFLICT DO NOTHING}).
 */
@ApplicationScoped
public class ProcessedEvents {

    private final DataSource dataSource;

    public ProcessedEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True the first time this consumer sees the event; false for every redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(String consumer, CaseEvent event) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO processed_event (consumer, event_id, event_type) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, consumer);
            ps.setObject(2, event.id());
            ps.setString(3, event.type());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record event " + event.id() + " for " + consumer, e);
        }
    }

    /**
     * Claims the events of a batch's items in one statement ({@link #claimAll}) and returns the
     * items whose event this consumer sees for the first time, in the batch's order: the ones to
     * apply. An event twice in the batch is applied at its first place only.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> List<T> fresh(String consumer, List<T> items, Function<T, CaseEvent> eventOf) {
        Set<UUID> claimed = claimAll(consumer, items.stream().map(eventOf).toList());
        List<T> fresh = new ArrayList<>(claimed.size());
        for (T item : items) {
            if (claimed.remove(eventOf.apply(item).id())) {
                fresh.add(item);
            }
        }
        return fresh;
    }

    /**
     * Claims a batch of events in one statement: the ids of those this consumer sees for the first
     * time (an id twice in the batch is claimed once). The caller applies exactly these, in order.
     * The rows are inserted in the order of their ids, whatever the batch's order: two batches
     * claiming some of the same events (a record that another producer put on a second partition,
     * a redelivery to another replica) wait for each other on the first they share, and cannot
     * deadlock on the ledger's key.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> claimAll(String consumer, List<CaseEvent> events) {
        Set<UUID> claimed = new HashSet<>();
        if (events.isEmpty()) {
            return claimed;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO processed_event (consumer, event_id, event_type) "
                                + "SELECT ?, id, type FROM unnest(?::uuid[], ?::text[]) AS e(id, type) ORDER BY id "
                                + "ON CONFLICT DO NOTHING RETURNING event_id")) {
            ps.setString(1, consumer);
            ps.setArray(
                    2,
                    c.createArrayOf("uuid", events.stream().map(CaseEvent::id).toArray()));
            ps.setArray(
                    3,
                    c.createArrayOf("text", events.stream().map(CaseEvent::type).toArray()));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    claimed.add(r.getObject(1, UUID.class));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record " + events.size() + " events for " + consumer, e);
        }
    }
}
