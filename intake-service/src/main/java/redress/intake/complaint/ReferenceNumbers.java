package redress.intake.complaint;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Case references, {@code CMP-<UTC year of receipt>-<6-digit sequence within the year>}. Each year
 * has its own PostgreSQL sequence, created on first use: numbers rise with time and never block
 * concurrent submissions (a counter row would serialise every submission on its lock until
 * commit). The price is that a submission failing after it took a number leaves a gap. Past
 * 999,999 in a year the number grows a seventh digit rather than failing.
 */
@ApplicationScoped
public class ReferenceNumbers {

    private final EntityManager em;
    private final DataSource dataSource;
    private final Set<Integer> knownYears = ConcurrentHashMap.newKeySet();

    public ReferenceNumbers(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /**
     * The name of the sequence that numbers the year of {@code receivedAt}, created if missing: for
     * a caller that takes the number with {@code nextval} inside a query of its own.
     */
    public String sequence(Instant receivedAt) {
        return ensureSequence(receivedAt.atZone(ZoneOffset.UTC).getYear());
    }

    /** The reference numbered {@code n} in the year of {@code receivedAt}. */
    public static String reference(Instant receivedAt, long n) {
        return String.format("CMP-%d-%06d", receivedAt.atZone(ZoneOffset.UTC).getYear(), n);
    }

    private String ensureSequence(int year) {
        String name = "complaint_ref_" + year;
        if (knownYears.contains(year)) {
            return name;
        }
        // DDL on a connection of its own, outside the submission's transaction, so that a race
        // between two replicas creating the same sequence cannot abort a submission.
        QuarkusTransaction.suspendingExisting().run(() -> {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE SEQUENCE IF NOT EXISTS " + name + " MINVALUE 1 NO CYCLE");
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                    throw new IllegalStateException("cannot create reference sequence " + name, e);
                }
            }
        });
        knownYears.add(year);
        return name;
    }
}
