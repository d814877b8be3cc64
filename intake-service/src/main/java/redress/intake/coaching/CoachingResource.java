package redress.intake.coaching;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.support.identity.Callers;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;
import redress.support.time.Clocks;

/**
 * The language coaching lexicon: every role of the firm reads it (agents learn from it), a
 * rules-admin publishes the next version, after trying it on the texts already recorded.
 */
@Path("/coaching/lexicon")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
public class CoachingResource {

    /** A version as listed: its number, language, size, why and by whom. */
    public record VersionView(
            int version, String language, int entries, String reason, String createdBy, Instant createdAt) {}

    private static final String BODY =
            "is required: send {\"language\": \"en\", \"entries\": [...], \"deEscalation\": {...}, \"reason\": ...}";

    private final Lexicons lexicons;
    private final LexiconDryRun dryRun;
    private final Callers callers;
    private final Clock clock;

    public CoachingResource(Lexicons lexicons, LexiconDryRun dryRun, Callers callers, Clock clock) {
        this.lexicons = lexicons;
        this.dryRun = dryRun;
        this.callers = callers;
        this.clock = clock;
    }

    @GET
    public Lexicon current() {
        return lexicons.current().lexicon();
    }

    @GET
    @Path("/versions")
    public List<VersionView> versions() {
        return lexicons.versions().stream()
                .map(v -> new VersionView(
                        v.version,
                        v.language,
                        lexicons.compiled(v.version).lexicon().entries().size(),
                        v.reason,
                        v.createdBy,
                        v.createdAt))
                .toList();
    }

    @GET
    @Path("/versions/{version}")
    public Lexicon version(@PathParam("version") String version) {
        try {
            return lexicons.compiled(Integer.parseInt(version)).lexicon();
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("version", "must be a whole number");
        }
    }

    @PUT
    @RolesAllowed(Roles.RULES_ADMIN)
    public Lexicon publish(@NotNull(message = BODY) @Valid PublishLexicon body) {
        return lexicons.publish(body, callers.agent());
    }

    /**
     * Runs the body (a lexicon as {@code PUT} takes it) and the version in force over the outbound
     * texts recorded in [{@code from}, {@code to}) (default: the last 90 days), newest first, at most
     * {@code limit} of them (default 1,000, at most 10,000), and reports the difference.
     */
    @POST
    @Path("/dry-run")
    @RolesAllowed(Roles.RULES_ADMIN)
    public LexiconDryRun.Report dryRun(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit,
            @QueryParam("examples") String examples,
            @NotNull(message = BODY) @Valid PublishLexicon body) {
        Instant end = to == null || to.isBlank() ? Clocks.now(clock) : time("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(90)) : time("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.invalidField("from", "must be before to");
        }
        return dryRun.run(
                body, start, end, number("limit", limit, 1_000, 10_000), number("examples", examples, 20, 200));
    }

    private static Instant time(String name, String value) {
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(name, "must be an RFC 3339 time, e.g. 2026-11-01T00:00:00Z");
        }
    }

    private static int number(String name, String value, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > max) {
                throw ProblemException.invalidField(name, "must be 1 to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(name, "must be a whole number from 1 to " + max);
        }
    }
}
