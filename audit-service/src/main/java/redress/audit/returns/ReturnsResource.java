package redress.audit.returns;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.support.identity.Callers;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * Regulators' complaints returns: an auditor or a supervisor makes one for a closed period
 * ({@code POST /returns}), reads it back, and lists those made. docs/returns.md.
 */
@Path("/returns")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.AUDITOR, Roles.SUPERVISOR})
@Blocking
public class ReturnsResource {

    private final Returns returns;
    private final Callers callers;
    private final AccessRecorder access;

    public ReturnsResource(Returns returns, Callers callers, AccessRecorder access) {
        this.returns = returns;
        this.callers = callers;
        this.access = access;
    }

    @POST
    public Response create(
            @NotNull(
                            message =
                                    "is required: send {\"family\": \"FCA\", \"from\": \"2026-01-01\", \"to\": \"2026-07-01\"}")
                    @Valid
                    CreateReturn body)
            throws SQLException {
        RegulatoryReturn r = returns.create(body, callers.subject());
        // Computing a return reads the log: recorded like any auditor's read, before the answer.
        long seq = r.checkpoint() == null ? 0 : r.checkpoint().seq();
        access.record(
                AuditorRead.of("return", "family", r.family(), "from", r.from().toString(), "to", r.to().toString())
                        .entries(seq, seq == 0 ? null : 1L, seq == 0 ? null : seq));
        return Response.status(Response.Status.CREATED)
                .header("Location", "/returns/" + r.id())
                .entity(r)
                .build();
    }

    @GET
    public List<RegulatoryReturn> list() throws SQLException {
        return returns.list();
    }

    @GET
    @Path("/{id}")
    public RegulatoryReturn get(@PathParam("id") String id) throws SQLException {
        return returns.get(uuid(id));
    }

    /**
     * What the log now gives differently from the return (docs/returns.md, "Is a return still
     * current?"). It reads the log up to its head: recorded like any auditor's read.
     */
    @GET
    @Path("/{id}/changes")
    public ReturnChanges changes(@PathParam("id") String id) throws SQLException {
        ReturnChanges c = returns.changes(uuid(id));
        long head = c.headSeq();
        access.record(AuditorRead.of("return-changes", "returnId", c.returnId().toString())
                .entries(head, head == 0 ? null : 1L, head == 0 ? null : head));
        return c;
    }

    /** ASIC's IDR data report as ASIC takes it: CSV, one row per complaint. */
    @GET
    @Path("/{id}/csv")
    @Produces("text/csv")
    public Response csv(@PathParam("id") String id) throws SQLException {
        RegulatoryReturn r = returns.get(uuid(id));
        if (!Returns.ASIC_IDR.equals(r.family())) {
            throw ProblemException.unprocessable(
                    "no-csv-form", "only an " + Returns.ASIC_IDR + " report has a CSV form; this is " + r.family());
        }
        return Response.ok(AsicReport.csv(r.complaints()))
                .type("text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"idr-" + r.from() + "-" + r.to() + ".csv\"")
                .build();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("id", "must be a UUID");
        }
    }
}
