package redress.audit.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import redress.events.EscalationLevel;
import redress.events.Severity;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.query.QueryParams;
import redress.support.security.Roles;

/**
 * {@code GET /streams/cases}: live case events for operations teams, as Server-Sent Events. The
 * stream follows the log (by global sequence), not this replica's Kafka consumer, so it misses
 * nothing whichever replica serves it; the SSE id is the entry's sequence number, so a client that
 * reconnects with {@code Last-Event-ID} resumes with no gap. Case events are plain {@code message}
 * events (the event type is in their data); only the end-of-stream notices are named ({@code dropped},
 * {@code expired}).
 *
 * <p>All clients are served by one {@link StreamFollower}: the log is read once per append, not
 * once per client. Each client has a bounded buffer; one that lets it fill, or that resumes from
 * further back than {@code redress.stream.max-lag}, gets a final {@code dropped} event saying
 * where to resume. Beyond {@code redress.stream.max-clients} open streams a new one is refused
 * with 503 and {@code Retry-After}.
 */
@Path("/streams/cases")
public class CaseStreamResource {

    private final StreamFollower follower;
    private final StreamConfig config;
    private final SecurityIdentity identity;

    public CaseStreamResource(StreamFollower follower, StreamConfig config, SecurityIdentity identity) {
        this.follower = follower;
        this.config = config;
        this.identity = identity;
    }

    /** Refusal of a stream beyond the cap; answered here, with Retry-After, as problem+json. */
    static final class TooManyStreams extends RuntimeException {
        TooManyStreams() {
            super(null, null, false, false);
        }
    }

    @ServerExceptionMapper
    public Response tooMany(TooManyStreams e, UriInfo uri) {
        long seconds = Math.max(1, config.retryAfter().toSeconds());
        Problem p = Problem.of(
                        503,
                        "too-many-streams",
                        "Service unavailable",
                        "This replica serves " + config.maxClients() + " streams already; try again in " + seconds
                                + " s")
                .at(uri.getPath());
        return Response.status(503)
                .type(Problem.MEDIA_TYPE)
                .header("Retry-After", seconds)
                .entity(p)
                .build();
    }

    /**
     * @param severity    comma-separated severities (the case's current one)
     * @param level       comma-separated escalation levels (the case's current one)
     * @param type        comma-separated event types
     * @param lastEventId resume after this sequence number (browsers send it on reconnect)
     * @param after       the same as a query parameter, for clients that cannot set headers
     */
    @RolesAllowed({Roles.OPERATOR, Roles.SUPERVISOR})
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(
            @QueryParam("severity") String severity,
            @QueryParam("level") String level,
            @QueryParam("type") String type,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after,
            @Context Sse sse) {
        Filters filters = new Filters(
                list(severity, "severity", Severity.class), list(level, "level", EscalationLevel.class), types(type));
        boolean fromHeader = lastEventId != null && !lastEventId.isBlank();
        String resume = fromHeader ? lastEventId : after;
        long start = resume == null || resume.isBlank()
                ? follower.position()
                : seq(resume, fromHeader ? "Last-Event-ID" : "after");
        if (!follower.reserve()) {
            throw new TooManyStreams();
        }
        StreamClient tap = new StreamClient(filters, sse, config.buffer(), start);
        Multi<OutboundSseEvent> events = Multi.createFrom()
                .<OutboundSseEvent>emitter(
                        em -> {
                            tap.attach(em);
                            em.onTermination(() -> follower.release(tap));
                            follower.add(tap);
                        },
                        BackPressureStrategy.BUFFER)
                .onItem()
                .invoke(() -> follower.taken(tap));
        return untilTheTokenExpires(events, sse);
    }

    /**
     * A stream lasts as long as the token that opened it: when it expires, an {@code expired} event
     * says so and the stream ends (the client opens it again, resuming from the last id, with a new
     * token). A token in a URL or cookie is short-lived for that reason; before, the stream went on
     * delivering events after it expired.
     */
    private Multi<OutboundSseEvent> untilTheTokenExpires(Multi<OutboundSseEvent> events, Sse sse) {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getExpirationTime() <= 0) {
            return events;
        }
        Instant expires = Instant.ofEpochSecond(jwt.getExpirationTime());
        Duration left = Duration.between(Instant.now(), expires);
        OutboundSseEvent expired = sse.newEventBuilder()
                .name("expired")
                .data("the token that opened this stream expired at " + expires + "; open it again with a new token")
                .build();
        return Multi.createBy()
                .concatenating()
                .streams(
                        events.select().first(left.isNegative() ? Duration.ZERO : left),
                        Multi.createFrom().item(expired));
    }

    private static <E extends Enum<E>> String[] list(String raw, String field, Class<E> type) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String[] parts = raw.split(",");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim().toUpperCase(Locale.ROOT);
            try {
                Enum.valueOf(type, parts[i]);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField(
                        field,
                        "must be one or more of " + Arrays.toString(type.getEnumConstants()) + ", comma-separated");
            }
        }
        return parts;
    }

    private static String[] types(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String[] parts = raw.split(",");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
            if (!parts[i].matches("[A-Za-z0-9._-]{1,100}")) {
                throw ProblemException.invalidField(
                        "type", "must be event types such as redress.case.resolved, comma-separated");
            }
        }
        return parts;
    }

    private static long seq(String raw, String field) {
        return QueryParams.number(raw, field, 0, "must be the id of an event this stream sent");
    }
}
