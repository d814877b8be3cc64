package redress.audit.returns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import redress.audit.checkpoint.Checkpoint;
import redress.audit.checkpoint.Checkpoints;
import redress.audit.log.LoggedEvent;
import redress.events.EventCodec;
import redress.support.problem.ProblemException;

/**
 * Makes and keeps regulators' returns. A return is computed from the log alone: the service signs
 * a checkpoint (or takes the one that already signs the head), reads every entry of the return's
 * event types up to it, and computes the figures of the period from those events' own times. The
 * return carries the checkpoint, so anyone holding an export up to it can recompute every figure
 * (audit-verifier does).
 */
@ApplicationScoped
public class Returns {

    public static final String FCA = "FCA";
    public static final String ASIC_IDR = "ASIC_IDR";

    private final AgroalDataSource dataSource;
    private final Checkpoints checkpoints;
    private final Clock clock;

    public Returns(AgroalDataSource dataSource, Checkpoints checkpoints, Clock clock) {
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** Computes, stores and answers the return; 422 for a family not known, a period not closed or not on the calendar. */
    public RegulatoryReturn create(CreateReturn body, String createdBy) throws SQLException {
        String family = body.family().trim().toUpperCase();
        boolean fca = family.equals(FCA);
        if (!fca && !family.equals(ASIC_IDR)) {
            throw ProblemException.unprocessable(
                    "unknown-return-family", "family " + body.family() + " is not one of: " + FCA + ", " + ASIC_IDR);
        }
        if (!body.from().isBefore(body.to())) {
            throw ProblemException.unprocessable("empty-period", "from must be before to (to is exclusive)");
        }
        ZoneId zone = fca ? FcaDefinitions.ZONE : AsicReport.ZONE;
        LocalDate today = Instant.now(clock).atZone(zone).toLocalDate();
        if (body.to().isAfter(today)) {
            throw ProblemException.unprocessable(
                    "period-not-closed",
                    "the period ends " + body.to() + " (exclusive) in " + zone + "; today is " + today
                            + ": a return is made once its period has closed");
        }
        if (fca
                && (body.from().isBefore(FcaDefinitions.CALENDAR_FROM)
                        || body.to().isAfter(FcaDefinitions.CALENDAR_TO))) {
            throw ProblemException.unprocessable(
                    "no-business-calendar",
                    "the return's business calendar covers " + FcaDefinitions.CALENDAR_FROM + " to "
                            + FcaDefinitions.CALENDAR_TO + " (exclusive)");
        }
        Checkpoint cp = checkpoints.checkpointNow().checkpoint();
        List<FcaReturn.Event> events;
        try (Connection c = dataSource.getConnection()) {
            events = read(c, cp == null ? 0 : cp.seq());
        }
        TreeSet<Integer> taxonomies = new TreeSet<>();
        events.stream()
                .filter(e -> e.type().equals("redress.taxonomy.changed"))
                .forEach(e -> taxonomies.add(e.data().path("version").asInt()));
        RegulatoryReturn.Definitions definitions = fca
                ? new RegulatoryReturn.Definitions(
                        FcaDefinitions.VERSION,
                        FcaDefinitions.PROFILES,
                        FcaDefinitions.WEEKEND.stream()
                                .sorted()
                                .map(DayOfWeek::name)
                                .toList(),
                        List.copyOf(FcaDefinitions.HOLIDAYS),
                        FcaDefinitions.CLOSE_OF_BUSINESS,
                        List.copyOf(taxonomies))
                : new RegulatoryReturn.Definitions(
                        AsicReport.VERSION, AsicReport.PROFILES, List.of(), List.of(), null, List.copyOf(taxonomies));
        RegulatoryReturn r = new RegulatoryReturn(
                UUID.randomUUID(),
                family,
                body.from(),
                body.to(),
                zone.getId(),
                definitions,
                cp,
                fca ? FcaReturn.compute(events, body.from(), body.to()) : List.of(),
                fca ? List.of() : AsicReport.compute(events, body.from(), body.to()),
                createdBy,
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS));
        store(r);
        return r;
    }

    public RegulatoryReturn get(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT document FROM regulatory_return WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("Return", id);
                }
                return EventCodec.mapper().readValue(rs.getString(1), RegulatoryReturn.class);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The return computed again from every entry logged so far, by the definitions it was made
     * with, and compared with the one stored ({@link ReturnChanges}); 404 for an unknown return, 422
     * for one made under earlier definitions (the figures would differ by the definitions alone).
     */
    public ReturnChanges changes(UUID id) throws SQLException {
        RegulatoryReturn r = get(id);
        boolean fca = FCA.equals(r.family());
        String version = fca ? FcaDefinitions.VERSION : AsicReport.VERSION;
        if (!version.equals(r.definitions().version())) {
            throw ProblemException.unprocessable(
                    "older-definitions",
                    "the return was made under " + r.definitions().version() + " and these are " + version
                            + ": make the return again to compare its figures with the log");
        }
        long head;
        List<FcaReturn.Event> events;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_entry");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            head = rs.getLong(1);
            events = read(c, head);
        }
        List<String> differences = fca
                ? ReturnChanges.differences(r.rows(), FcaReturn.compute(events, r.from(), r.to()), "productGroup", "")
                : ReturnChanges.differences(
                        r.complaints(), AsicReport.compute(events, r.from(), r.to()), "complaintId", "complaint ");
        return new ReturnChanges(
                r.id(),
                r.family(),
                version,
                r.checkpoint() == null ? 0 : r.checkpoint().seq(),
                head,
                differences.isEmpty(),
                differences);
    }

    /** The returns made, newest period first, without their rows. */
    public List<RegulatoryReturn> list() throws SQLException {
        List<RegulatoryReturn> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT document FROM regulatory_return ORDER BY period_to DESC, created_at DESC LIMIT 200");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                RegulatoryReturn r = EventCodec.mapper().readValue(rs.getString(1), RegulatoryReturn.class);
                out.add(new RegulatoryReturn(
                        r.id(),
                        r.family(),
                        r.from(),
                        r.to(),
                        r.zone(),
                        r.definitions(),
                        r.checkpoint(),
                        List.of(),
                        List.of(),
                        r.createdBy(),
                        r.createdAt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void store(RegulatoryReturn r) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO regulatory_return (id, family, period_from, "
                                + "period_to, checkpoint_seq, document, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, r.id());
            ps.setString(2, r.family());
            ps.setDate(3, Date.valueOf(r.from()));
            ps.setDate(4, Date.valueOf(r.to()));
            ps.setLong(5, r.checkpoint() == null ? 0 : r.checkpoint().seq());
            ps.setString(6, EventCodec.mapper().writeValueAsString(r));
            ps.setString(7, r.createdBy());
            ps.setTimestamp(8, Timestamp.from(r.createdAt()));
            ps.executeUpdate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry of the return's types up to {@code seq}, in order, as the events the return reads. */
    static List<FcaReturn.Event> read(Connection c, long seq) throws SQLException {
        List<FcaReturn.Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, canonical FROM audit_entry WHERE seq <= ? AND event_type = ANY (?) ORDER BY seq")) {
            ps.setLong(1, seq);
            ps.setArray(2, c.createArrayOf("text", FcaReturn.TYPES.toArray()));
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs.getLong(1), rs.getBytes(2)));
                }
            }
        }
        return out;
    }

    private static FcaReturn.Event event(long seq, byte[] canonical) {
        LoggedEvent e = LoggedEvent.of(seq, canonical);
        return new FcaReturn.Event(e.seq(), e.type(), e.subject(), e.time(), e.data());
    }
}
