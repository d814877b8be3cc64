package redress.support.health;

import java.sql.Connection;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only while the service's database answers a query within three seconds. Replaces the
 * datasource extension's check, whose answer carries the driver's error text (the server's
 * address among it) to anyone; here that goes to the log.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class);

    private final DataSource dataSource;

    public DatabaseReadiness(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(3);
            s.execute("SELECT 1");
            return HealthCheckResponse.up("database");
        } catch (Exception e) {
            LOG.warnf("readiness: the database does not answer: %s", e.toString());
            return HealthCheckResponse.down("database");
        }
    }
}
