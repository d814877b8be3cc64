package redress.audit.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.audit.query.TimeRange;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * Recurring issues: cases received in a window grouped by category, product or customer
 * (category and product compared case-insensitively, trimmed), with the share of them that were
 * escalated and reopened, against the window of the same length just before.
 */
@Path("/insights/recurring")
@Produces(MediaType.APPLICATION_JSON)
public class InsightsResource {

    static final Duration MAX_WINDOW = Duration.ofDays(366);
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    static final int TOP = 100;

    public enum By {
        CATEGORY("category"),
        PRODUCT("product"),
        CUSTOMER("customer_id");

        final String column;

        By(String column) {
            this.column = column;
        }
    }

    public record Issue(
            String key,
            long cases,
            double escalatedShare,
            double reopenedShare,
            long previousCases,
            long change,
            Double changePercent,
            boolean recurring) {}

    public record Recurring(
            String by,
            Instant from,
            Instant to,
            Instant previousFrom,
            Instant previousTo,
            long cases,
            List<Issue> issues) {}

    private final Clock clock;
    private final DataSource dataSource;
    private final AccessRecorder access;

    public InsightsResource(DataSource dataSource, AccessRecorder access, Clock clock) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.access = access;
    }

    @RolesAllowed(Roles.AUDITOR)
    @GET
    public Recurring recurring(
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("by") String by)
            throws SQLException {
        By groupBy = by(by);
        TimeRange window = InsightsResource.window(from, to, clock);
        Instant previousFrom = window.from().minus(window.length());
        String key = groupBy == By.CUSTOMER ? groupBy.column : "lower(trim(" + groupBy.column + "))";
        String sql = "WITH cur AS (SELECT " + key + " AS k, min(trim(" + groupBy.column + ")) AS label, count(*) AS n, "
                + "count(*) FILTER (WHERE escalated) AS esc, count(*) FILTER (WHERE reopened) AS reo "
                + "FROM case_projection WHERE received_at >= ? AND received_at < ? AND " + groupBy.column
                + " IS NOT NULL GROUP BY 1), "
                + "prev AS (SELECT " + key + " AS k, count(*) AS n FROM case_projection "
                + "WHERE received_at >= ? AND received_at < ? AND " + groupBy.column + " IS NOT NULL GROUP BY 1) "
                + "SELECT cur.label, cur.n, cur.esc, cur.reo, coalesce(prev.n, 0), sum(cur.n) OVER () "
                + "FROM cur LEFT JOIN prev ON prev.k = cur.k "
                + "ORDER BY cur.n DESC, cur.k LIMIT " + TOP;
        List<Issue> issues = new ArrayList<>();
        long total = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(window.from()));
            ps.setTimestamp(2, Timestamp.from(window.to()));
            ps.setTimestamp(3, Timestamp.from(previousFrom));
            ps.setTimestamp(4, Timestamp.from(window.from()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    long prev = rs.getLong(5);
                    total = rs.getLong(6);
                    issues.add(new Issue(
                            rs.getString(1),
                            n,
                            round(rs.getLong(3) / (double) n),
                            round(rs.getLong(4) / (double) n),
                            prev,
                            n - prev,
                            prev == 0 ? null : round(100.0 * (n - prev) / prev),
                            n >= 2));
                }
            }
        }
        access.record(AuditorRead.of("insights", "by", by, "from", from, "to", to));
        return new Recurring(
                groupBy.name().toLowerCase(Locale.ROOT),
                window.from(),
                window.to(),
                previousFrom,
                window.from(),
                total,
                issues);
    }

    /**
     * The window of an insight: {@code [from, to)}, at most {@link #MAX_WINDOW} long; both absent,
     * the {@link #DEFAULT_WINDOW} up to now (to the second).
     */
    static TimeRange window(String from, String to, Clock clock) {
        if ((from == null || from.isBlank()) && (to == null || to.isBlank())) {
            Instant end = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
            return new TimeRange(end.minus(DEFAULT_WINDOW), end);
        }
        return TimeRange.bounded(from, to, MAX_WINDOW);
    }

    static By by(String raw) {
        if (raw == null || raw.isBlank()) {
            return By.CATEGORY;
        }
        try {
            return By.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("by", "must be one of category, product, customer");
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
