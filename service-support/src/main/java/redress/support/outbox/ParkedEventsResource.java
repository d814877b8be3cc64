package redress.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * What an operator needs when Kafka refuses an event for good: which events are parked, why, and
 * how many events of the same case wait behind each; and a way to release one for another try
 * once the cause is fixed (a topic's {@code max.message.bytes} raised, say).
 */
@Path("/outbox/parked")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedEventsResource {

    private static final Logger LOG = Logger.getLogger(ParkedEventsResource.class);

    public record Parked(
            UUID eventId,
            String caseId,
            String type,
            String topic,
            int payloadBytes,
            int attempts,
            String error,
            Instant parkedAt,
            long waitingBehind) {}

    private final DataSource dataSource;

    public ParkedEventsResource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @RolesAllowed(Roles.OPERATOR)
    @GET
    public List<Parked> list() throws SQLException {
        List<Parked> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT p.event_id, p.record_key, p.event_type, p.topic, octet_length(p.payload), p.attempts, p.last_error, "
                                + "p.parked_at, (SELECT count(*) FROM outbox w WHERE w.record_key = p.record_key "
                                + "AND w.sent_at IS NULL AND w.id > p.id) FROM outbox p "
                                + "WHERE p.parked_at IS NOT NULL AND p.sent_at IS NULL ORDER BY p.id LIMIT 1000");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Parked(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getInt(6),
                        rs.getString(7),
                        rs.getTimestamp(8).toInstant(),
                        rs.getLong(9)));
            }
        }
        return out;
    }

    /** Un-parks one event: the relay tries it (and then its case's later events) again at once. */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{eventId}/release")
    public Response release(@PathParam("eventId") UUID eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE outbox SET parked_at = NULL WHERE event_id = ? AND parked_at IS NOT NULL AND sent_at IS NULL")) {
            ps.setObject(1, eventId);
            if (ps.executeUpdate() == 0) {
                throw ProblemException.notFound("parked event", eventId);
            }
        }
        LOG.infof("parked outbox event %s released for another try", eventId);
        return Response.noContent().build();
    }
}
