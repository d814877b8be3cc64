package redress.audit.stream;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import redress.audit.log.AuditLog;
import redress.audit.query.EntryView;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.Severity;
import redress.support.problem.ProblemException;

/**
 * {@code GET /streams/cases}: live case events for operations teams, as Server-Sent Events. The
 * stream follows the log (by global sequence), not this replica's Kafka consumer, so it misses
 * nothing whichever replica serves it; the SSE id is the entry's sequence number, so a client that
 * reconnects with {@code Last-Event-ID} resumes with no gap. Case events are plain {@code message}
 * events (the event type is in their data); only the end-of-stream notice is named. The stream is pulled a page at a time
 * as the client takes events: a slow client holds at most one page here and never slows the log;
 * one that falls more than {@code redress.stream.max-lag} entries behind is dropped with a final
 * {@code dropped} event saying where to resume.
 */
@Path("/streams/cases")
public class CaseStreamResource {

    private final DataSource dataSource;
    private final int pageSize;
    private final long maxLag;
    private final Duration poll;
    private final Duration heartbeat;

    public CaseStreamResource(DataSource dataSource,
            @ConfigProperty(name = "redress.stream.page-size", defaultValue = "500") int pageSize,
            @ConfigProperty(name = "redress.stream.max-lag", defaultValue = "10000") long maxLag,
            @ConfigProperty(name = "redress.stream.poll", defaultValue = "250ms") Duration poll,
            @ConfigProperty(name = "redress.stream.heartbeat", defaultValue = "15s") Duration heartbeat) {
        this.dataSource = dataSource;
        this.pageSize = pageSize;
        this.maxLag = maxLag;
        this.poll = poll;
        this.heartbeat = heartbeat;
    }

    record Filters(String[] severities, String[] levels, String[] types) {
    }

    /**
     * @param idle nothing new in the log: wait a poll interval before looking again
     * @param last the stream ends after these events
     */
    record Page(List<OutboundSseEvent> events, boolean idle, boolean last) {
    }

    /**
     * @param severity    comma-separated severities (the case's current one)
     * @param level       comma-separated escalation levels (the case's current one)
     * @param type        comma-separated event types
     * @param lastEventId resume after this sequence number (browsers send it on reconnect)
     * @param after       the same as a query parameter, for clients that cannot set headers
     */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@QueryParam("severity") String severity, @QueryParam("level") String level,
            @QueryParam("type") String type, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after, @Context Sse sse) throws SQLException {
        Filters filters = new Filters(list(severity, "severity", Severity.class), list(level, "level", EscalationLevel.class),
                types(type));
        boolean fromHeader = lastEventId != null && !lastEventId.isBlank();
        String resume = fromHeader ? lastEventId : after;
        long start = resume == null || resume.isBlank() ? head() : seq(resume, fromHeader ? "Last-Event-ID" : "after");
        AtomicLong cursor = new AtomicLong(start);
        AtomicLong lastWrite = new AtomicLong(System.nanoTime());

        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(() -> next(filters, cursor, lastWrite, sse))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .onItem().call(page -> page.idle() ? Uni.createFrom().voidItem().onItem().delayIt().by(poll)
                                : Uni.createFrom().voidItem()))
                .whilst(page -> !page.last())
                .onItem().transformToIterable(Page::events);
    }

    private Page next(Filters f, AtomicLong cursor, AtomicLong lastWrite, Sse sse) {
        try (Connection c = dataSource.getConnection()) {
            long head = head(c);
            if (head - cursor.get() > maxLag) {
                ObjectNode why = EventCodec.mapper().createObjectNode();
                why.put("reason", "client too slow: " + (head - cursor.get()) + " entries behind (limit " + maxLag + ")");
                why.put("resumeAfter", cursor.get());
                // No id: a browser would reconnect with it and be dropped again; resumeAfter says where to go on.
                return new Page(List.of(sse.newEventBuilder().name("dropped").data(why.toString()).build()), false, true);
            }
            List<OutboundSseEvent> events = new ArrayList<>();
            long scannedFrom = cursor.get();
            // Scan the log, not the filtered result, a page at a time: the cursor always advances.
            try (PreparedStatement ps = c.prepareStatement("SELECT e.seq, e.canonical, p.severity, p.level, "
                    + "(p.severity = ANY (?::text[]) OR ?::text[] IS NULL) AND (p.level = ANY (?::text[]) OR ?::text[] IS NULL) "
                    + "AND (e.event_type = ANY (?::text[]) OR ?::text[] IS NULL) "
                    + "FROM (SELECT seq, canonical, case_id, event_type FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?) e "
                    + "LEFT JOIN case_projection p ON p.case_id = e.case_id ORDER BY e.seq")) {
                bind(c, ps, 1, f.severities());
                bind(c, ps, 3, f.levels());
                bind(c, ps, 5, f.types());
                ps.setLong(7, cursor.get());
                ps.setInt(8, pageSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        cursor.set(seq);
                        if (rs.getBoolean(5)) {
                            events.add(event(sse, seq, rs.getBytes(2), rs.getString(3), rs.getString(4)));
                        }
                    }
                }
            }
            if (events.isEmpty() && System.nanoTime() - lastWrite.get() > heartbeat.toNanos()) {
                events.add(sse.newEventBuilder().comment("keep-alive").build());
            }
            if (!events.isEmpty()) {
                lastWrite.set(System.nanoTime());
            }
            return new Page(events, cursor.get() == scannedFrom, false);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the log for the stream", e);
        }
    }

    private static OutboundSseEvent event(Sse sse, long seq, byte[] canonical, String severity, String level) {
        EntryView v = EntryView.of(canonical);
        ObjectNode n = EventCodec.mapper().valueToTree(v);
        n.put("severity", severity);
        n.put("level", level);
        n.put("reference", v.data().path("reference").asText(null));
        // Unnamed, so that any EventSource's onmessage sees it; the type is in the data.
        return sse.newEventBuilder().id(String.valueOf(seq)).data(n.toString()).build();
    }

    private static void bind(Connection c, PreparedStatement ps, int index, String[] values) throws SQLException {
        Array a = values == null ? null : c.createArrayOf("text", values);
        ps.setArray(index, a);
        if (values == null) {
            ps.setNull(index + 1, java.sql.Types.ARRAY);
        } else {
            ps.setArray(index + 1, a);
        }
    }

    private long head() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return head(c);
        }
    }

    private static long head(Connection c) throws SQLException {
        return AuditLog.head(c).seq();
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
                throw ProblemException.invalidField(field, "must be one or more of " + Arrays.toString(type.getEnumConstants())
                        + ", comma-separated");
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
                throw ProblemException.invalidField("type", "must be event types such as redress.case.resolved, comma-separated");
            }
        }
        return parts;
    }

    private static long seq(String raw, String field) {
        try {
            long v = Long.parseLong(raw.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalidField(field, "must be the id of an event this stream sent");
    }
}
