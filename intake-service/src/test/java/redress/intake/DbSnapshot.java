package redress.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.restassured.response.ValidatableResponse;

/** Row counts of every intake table: a refused request must leave them all as they were. */
public final class DbSnapshot {

    private static final String[] TABLES = {
        "complaint",
        "interaction",
        "promise",
        "idempotency_key",
        "outbox",
        "taxonomy_version",
        "redress",
        "customer_vulnerability",
        "case_review",
        "case_watch",
        "coaching_lexicon_version"
    };

    public static Map<String, Long> take(DataSource ds) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String t : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM case_watch WHERE ended_at IS NULL")) {
                rs.next();
                counts.put("open watches", rs.getLong(1));
            }
            try (ResultSet rs =
                    s.executeQuery("SELECT coalesce(sum(version), 0), max(updated_at)::text FROM complaint")) {
                rs.next();
                counts.put("complaint versions", rs.getLong(1));
                counts.put(
                        "last complaint update",
                        rs.getString(2) == null ? 0L : (long) rs.getString(2).hashCode());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    /**
     * Makes the {@code call} that must be refused: it answers a problem of {@code status}, and every
     * table is as it was before it ({@code otherwise} says what failed).
     */
    public static ValidatableResponse refusedWritingNothing(
            DataSource ds, Supplier<ValidatableResponse> call, int status, String otherwise) {
        Map<String, Long> before = take(ds);
        ValidatableResponse r = BadInputTest.problem(call.get(), status);
        assertEquals(before, take(ds), otherwise);
        return r;
    }

    private DbSnapshot() {}
}
