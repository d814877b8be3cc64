package redress.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Outbox metrics for alerting (lag, and whether this replica's relay is the active one), and cleanup
 * of rows that were sent long enough ago.
 */
@ApplicationScoped
public class OutboxMaintenance {

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final MeterRegistry registry;
    private final OutboxRelay relay;

    public OutboxMaintenance(DataSource dataSource, OutboxConfig config, MeterRegistry registry, OutboxRelay relay) {
        this.dataSource = dataSource;
        this.config = config;
        this.registry = registry;
        this.relay = relay;
    }

    void registerGauges(@Observes StartupEvent ev) {
        Gauge.builder(
                        "redress.outbox.oldest.unsent.age",
                        this,
                        m -> m.query(
                                "SELECT coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) FROM outbox WHERE sent_at IS NULL"))
                .description("Age in seconds of the oldest event not yet acknowledged by Kafka (0 when none)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("redress.outbox.unsent", this, m -> m.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
                .description("Events written but not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder(
                        "redress.outbox.parked",
                        this,
                        m -> m.query("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL AND sent_at IS NULL"))
                .description("Events Kafka refused for good; each holds its case's later events (GET /outbox/parked)")
                .register(registry);
        // Replicas stand by behind one relay: across a service's replicas the sum is 1 (0 while none holds the lock).
        Gauge.builder("redress.outbox.relay.active", relay, r -> r.isActive() ? 1 : 0)
                .description("1 while this process holds the relay lock and publishes the outbox, else 0 (standing by)")
                .register(registry);
    }

    @Scheduled(every = "${redress.outbox.cleanup-every:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void deleteSentRows() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM outbox WHERE sent_at < clock_timestamp() - make_interval(secs => ?)")) {
            ps.setDouble(1, config.sentRetention().toMillis() / 1000.0);
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.debugf("outbox cleanup deleted %d sent rows", n);
            }
        } catch (SQLException e) {
            LOG.warnf("outbox cleanup failed: %s", e.getMessage());
        }
    }

    private double query(String sql) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getDouble(1) : 0;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
