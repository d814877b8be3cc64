package redress.escalation.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import redress.testsupport.TestInfrastructure;

/**
 * Migration V5 moves each rule's edge state from {@code rule_state} rows onto the case's
 * projection: a database with states written by the earlier schema keeps, per case, exactly the
 * rules that held (so none fires again on a crossing it already fired on), and loses the table.
 */
class RuleStateMigrationTest {

    @Test
    void statesThatHeldMoveOntoTheProjectionSorted() throws SQLException {
        TestInfrastructure infra = TestInfrastructure.get();
        String url = infra.database("escalation_v5_migration");
        migrations(infra, url).target("4").load().migrate();
        try (Connection c = connect(infra, url);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO case_projection (case_id, level, last_event_at) VALUES "
                    + "('00000000-0000-0000-0000-00000000000a', 'AGENT', now()), "
                    + "('00000000-0000-0000-0000-00000000000b', 'TEAM_LEAD', now()), "
                    + "('00000000-0000-0000-0000-00000000000c', 'AGENT', now())");
            s.execute("INSERT INTO rule_state (case_id, rule_id, satisfied, changed_at) VALUES "
                    + "('00000000-0000-0000-0000-00000000000a', 'tone-rising', true, now()), "
                    + "('00000000-0000-0000-0000-00000000000a', 'critical-severity', true, now()), "
                    + "('00000000-0000-0000-0000-00000000000a', 'two-rejected-solutions', false, now()), "
                    + "('00000000-0000-0000-0000-00000000000b', 'two-rejected-solutions', false, now())");
        }

        migrations(infra, url).load().migrate();

        try (Connection c = connect(infra, url);
                Statement s = c.createStatement()) {
            Map<String, String> satisfied = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT case_id, satisfied_rules FROM case_projection")) {
                while (rs.next()) {
                    satisfied.put(rs.getString(1), rs.getString(2));
                }
            }
            assertEquals(
                    Map.of(
                            "00000000-0000-0000-0000-00000000000a",
                            "critical-severity,tone-rising",
                            "00000000-0000-0000-0000-00000000000b",
                            "",
                            "00000000-0000-0000-0000-00000000000c",
                            ""),
                    satisfied);
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('rule_state') IS NOT NULL")) {
                rs.next();
                assertFalse(rs.getBoolean(1), "rule_state is dropped");
            }
        }
    }

    /** The service's migrations, on the database at {@code url}. */
    private static FluentConfiguration migrations(TestInfrastructure infra, String url) {
        return Flyway.configure()
                .dataSource(url, infra.postgres().user(), infra.postgres().password())
                .locations("classpath:db/migration");
    }

    private static Connection connect(TestInfrastructure infra, String url) throws SQLException {
        return DriverManager.getConnection(
                url, infra.postgres().user(), infra.postgres().password());
    }
}
