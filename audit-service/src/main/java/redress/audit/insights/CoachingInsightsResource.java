package redress.audit.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

import com.fasterxml.jackson.databind.JsonNode;

import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.audit.log.LoggedEvent;
import redress.audit.query.TimeRange;
import redress.events.EventType;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * Language coaching findings (docs/coaching.md) counted from the log, for coaching: the phrases to
 * practise, with the alternative the lexicon suggests, per phrase, per category or per agent, week
 * by week. Per agent the rows come in the order of their ids, each with how many of the agent's
 * texts were checked and how many were clean: a coaching sheet, not a league table.
 */
@Path("/insights/coaching")
@Produces(MediaType.APPLICATION_JSON)
public class CoachingInsightsResource {

    static final List<String> BY = List.of("phrase", "category", "agent");
    static final int PHRASES_SHOWN = 5;

    /** Findings in the week starting on Monday {@code weekOf} (UTC). */
    public record Week(LocalDate weekOf, long findings) {}

    /** A phrase to practise: as found (lower case), its category, the suggested alternative. */
    public record Phrase(String phrase, String category, String suggestion, long findings) {}

    /**
     * One row: a phrase, a category or an agent. {@code suggestion} for a phrase; {@code
     * checkedTexts} and {@code cleanShare} for an agent; {@code phrasesToPractise} (most found first)
     * for a category or an agent.
     */
    public record Row(
            String key,
            String category,
            String suggestion,
            long findings,
            long textsWithFindings,
            Long checkedTexts,
            Double cleanShare,
            List<Week> weeks,
            List<Phrase> phrasesToPractise) {}

    public record Coaching(
            Instant from,
            Instant to,
            String by,
            long checkedTexts,
            long textsWithFindings,
            long findings,
            long deEscalations,
            List<Row> rows) {}

    /** What is counted of one row while reading. */
    private static final class Tally {
        String category;
        String suggestion;
        long findings;
        final Set<String> texts = new HashSet<>();
        long checked;
        long clean;
        final Map<LocalDate, Long> weeks = new TreeMap<>();
        final Map<String, Phrase> phrases = new HashMap<>();

        void found(String interaction, LocalDate week, String phrase, String category, String suggestion) {
            findings++;
            texts.add(interaction);
            weeks.merge(week, 1L, Long::sum);
            phrases.merge(
                    phrase,
                    new Phrase(phrase, category, suggestion, 1),
                    (a, b) -> new Phrase(a.phrase(), b.category(), b.suggestion(), a.findings() + 1));
        }
    }

    private final DataSource dataSource;
    private final AccessRecorder access;
    private final Clock clock;

    public CoachingInsightsResource(DataSource dataSource, AccessRecorder access, Clock clock) {
        this.dataSource = dataSource;
        this.access = access;
        this.clock = clock;
    }

    @RolesAllowed({Roles.AUDITOR, Roles.SUPERVISOR})
    @GET
    public Coaching coaching(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("by") String by)
            throws SQLException {
        String grouping = by == null || by.isBlank() ? "phrase" : by.trim().toLowerCase(Locale.ROOT);
        if (!BY.contains(grouping)) {
            throw ProblemException.invalidField("by", "must be one of " + String.join(", ", BY));
        }
        TimeRange window = InsightsResource.window(from, to, clock);
        Map<String, Tally> rows = new HashMap<>();
        long checked = 0;
        long withFindings = 0;
        long findings = 0;
        long deEscalations = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT seq, actor_id, canonical FROM audit_entry "
                        + "WHERE event_type = ? AND event_time >= ? AND event_time < ? ORDER BY seq")) {
            ps.setString(1, EventType.INTERACTION_RECORDED.type());
            ps.setTimestamp(2, Timestamp.from(window.from()));
            ps.setTimestamp(3, Timestamp.from(window.to()));
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LoggedEvent e = LoggedEvent.of(rs.getLong(1), rs.getBytes(3));
                    JsonNode coaching = e.data().path("coaching");
                    if (!coaching.isObject()) {
                        continue; // not an outbound text, or recorded before coaching existed
                    }
                    String agent = rs.getString(2) == null ? "" : rs.getString(2);
                    String interaction = e.data().path("interactionId").asText();
                    LocalDate week = e.time()
                            .atOffset(ZoneOffset.UTC)
                            .toLocalDate()
                            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    JsonNode found = coaching.path("findings");
                    checked++;
                    findings += found.size();
                    withFindings += found.isEmpty() ? 0 : 1;
                    deEscalations += coaching.path("deEscalationSuggestions").isEmpty() ? 0 : 1;
                    if (grouping.equals("agent")) {
                        Tally t = rows.computeIfAbsent(agent, k -> new Tally());
                        t.checked++;
                        t.clean += found.isEmpty() ? 1 : 0;
                    }
                    for (JsonNode f : found) {
                        String phrase = f.path("phrase").asText().toLowerCase(Locale.ROOT);
                        String category = f.path("category").asText();
                        String suggestion = f.path("suggestion").asText(null);
                        String key = switch (grouping) {
                            case "agent" -> agent;
                            case "category" -> category;
                            default -> phrase;
                        };
                        Tally t = rows.computeIfAbsent(key, k -> new Tally());
                        t.category = category;
                        t.suggestion = suggestion;
                        t.found(interaction, week, phrase, category, suggestion);
                    }
                }
            }
        }
        List<Row> out = new ArrayList<>();
        rows.forEach((key, t) -> out.add(row(grouping, key, t)));
        if (grouping.equals("agent")) {
            out.sort(Comparator.comparing(Row::key));
        } else {
            out.sort(Comparator.comparingLong(Row::findings).reversed().thenComparing(Row::key));
        }
        access.record(AuditorRead.of("insights-coaching", "from", from, "to", to, "by", grouping));
        return new Coaching(window.from(), window.to(), grouping, checked, withFindings, findings, deEscalations, out);
    }

    private static Row row(String grouping, String key, Tally t) {
        List<Week> weeks = new ArrayList<>();
        t.weeks.forEach((w, n) -> weeks.add(new Week(w, n)));
        boolean phrase = grouping.equals("phrase");
        boolean agent = grouping.equals("agent");
        List<Phrase> practise = phrase
                ? null
                : t.phrases.values().stream()
                        .sorted(Comparator.comparingLong(Phrase::findings)
                                .reversed()
                                .thenComparing(Phrase::phrase))
                        .limit(PHRASES_SHOWN)
                        .toList();
        return new Row(
                key,
                agent ? null : t.category,
                phrase ? t.suggestion : null,
                t.findings,
                t.texts.size(),
                agent ? t.checked : null,
                agent ? (t.checked == 0 ? 0 : Math.round(1000.0 * t.clean / t.checked) / 1000.0) : null,
                weeks,
                practise);
    }
}
