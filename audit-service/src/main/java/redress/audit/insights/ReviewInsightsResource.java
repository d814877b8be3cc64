package redress.audit.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.audit.log.LoggedEvent;
import redress.audit.query.TimeRange;
import redress.events.EventType;
import redress.support.security.Roles;

/**
 * Post-case reviews (seed 001, "Learn from the experience"), counted from the log: of the cases
 * resolved in a window, how many were reviewed (at any time since), per outcome of their last
 * resolution in the window; and the reviews recorded in the window, per root cause. Counts only:
 * what a review says is read on its case.
 */
@Path("/insights/reviews")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewInsightsResource {

    /** Resolutions without an outcome (a DEFAULT-profile case may omit it). */
    static final String NONE = "NONE";

    public record OutcomeRow(String outcome, long resolved, long reviewed, double reviewedShare) {}

    public record CauseRow(String rootCause, long reviews) {}

    public record Reviews(
            Instant from,
            Instant to,
            long resolvedCases,
            long reviewedCases,
            double reviewedShare,
            long reviews,
            List<OutcomeRow> byOutcome,
            List<CauseRow> byRootCause) {}

    private final DataSource dataSource;
    private final AccessRecorder access;
    private final Clock clock;

    public ReviewInsightsResource(DataSource dataSource, AccessRecorder access, Clock clock) {
        this.dataSource = dataSource;
        this.access = access;
        this.clock = clock;
    }

    @RolesAllowed({Roles.AUDITOR, Roles.SUPERVISOR})
    @GET
    public Reviews reviews(@QueryParam("from") String from, @QueryParam("to") String to) throws SQLException {
        TimeRange window = InsightsResource.window(from, to, clock);
        Map<String, String> outcomeOfResolved = new HashMap<>(); // case -> outcome of its last resolution
        Set<String> reviewedCases = new HashSet<>();
        Map<String, Long> byCause = new TreeMap<>();
        long reviews = 0;
        try (Connection c = dataSource.getConnection()) {
            for (LoggedEvent e : read(c, EventType.CASE_RESOLVED.type(), window.from(), window.to())) {
                String outcome = e.data().path("outcome").asText("");
                outcomeOfResolved.put(e.subject(), outcome.isEmpty() ? NONE : outcome);
            }
            // A case resolved in the window counts as reviewed if reviewed at any time up to now.
            for (LoggedEvent e : read(c, EventType.CASE_REVIEWED.type(), window.from(), null)) {
                reviewedCases.add(e.subject());
                if (e.time().isBefore(window.to())) {
                    reviews++;
                    String cause = e.data().path("rootCause").asText("");
                    byCause.merge(cause.isEmpty() ? NONE : cause, 1L, Long::sum);
                }
            }
        }
        Map<String, long[]> outcomes = new LinkedHashMap<>();
        long reviewedOfResolved = 0;
        for (Map.Entry<String, String> r : new TreeMap<>(outcomeOfResolved).entrySet()) {
            long[] n = outcomes.computeIfAbsent(r.getValue(), k -> new long[2]);
            n[0]++;
            if (reviewedCases.contains(r.getKey())) {
                n[1]++;
                reviewedOfResolved++;
            }
        }
        List<OutcomeRow> byOutcome = new ArrayList<>();
        new TreeMap<>(outcomes).forEach((o, n) -> byOutcome.add(new OutcomeRow(o, n[0], n[1], share(n[1], n[0]))));
        List<CauseRow> causes = new ArrayList<>();
        byCause.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(x -> causes.add(new CauseRow(x.getKey(), x.getValue())));
        access.record(AuditorRead.of("insights-reviews", "from", from, "to", to));
        return new Reviews(
                window.from(),
                window.to(),
                outcomeOfResolved.size(),
                reviewedOfResolved,
                share(reviewedOfResolved, outcomeOfResolved.size()),
                reviews,
                byOutcome,
                causes);
    }

    /** The entries of one type whose event time is in [from, to) ({@code to} null: up to now). */
    private static List<LoggedEvent> read(Connection c, String type, Instant from, Instant to) throws SQLException {
        List<LoggedEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, canonical FROM audit_entry WHERE event_type = ? "
                + "AND event_time >= ? AND (?::timestamptz IS NULL OR event_time < ?) ORDER BY seq")) {
            ps.setString(1, type);
            ps.setTimestamp(2, Timestamp.from(from));
            Timestamp end = to == null ? null : Timestamp.from(to);
            ps.setTimestamp(3, end);
            ps.setTimestamp(4, end);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(LoggedEvent.of(rs.getLong(1), rs.getBytes(2)));
                }
            }
        }
        return out;
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
    }
}
