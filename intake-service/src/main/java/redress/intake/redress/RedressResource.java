package redress.intake.redress;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import redress.intake.Ids;
import redress.intake.complaint.CaseAccess;
import redress.intake.complaint.ComplaintResource;
import redress.support.identity.Callers;
import redress.support.security.Roles;

/** A case's redress ledger: agents and supervisors record lines; whoever may read the case reads it. */
@Path("/complaints/{id}/redress")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RedressResource {

    private final Redress redress;
    private final Callers callers;
    private final CaseAccess access;

    public RedressResource(Redress redress, Callers callers, CaseAccess access) {
        this.redress = redress;
        this.callers = callers;
        this.access = access;
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    public Redress.Ledger ledger(@PathParam("id") String id) {
        UUID caseId = Ids.parse(id, "id");
        access.requireVisible(caseId);
        return redress.ledger(caseId);
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    public Response record(
            @PathParam("id") String id,
            @NotNull(message = "is required: send {\"stage\", \"kind\", \"amount\", \"currency\"}") @Valid
                    RecordRedress body,
            @HeaderParam(ComplaintResource.IDEMPOTENCY_KEY) String idempotencyKey) {
        String key = ComplaintResource.checkKey(idempotencyKey);
        Redress.Recorded r = redress.record(Ids.parse(id, "id"), body, callers.agent(), key);
        Response.ResponseBuilder answer =
                Response.status(Response.Status.CREATED).entity(r.line());
        if (r.replayed()) {
            answer.header(ComplaintResource.REPLAYED, "true");
        }
        return answer.build();
    }

    /** Reverses a line recorded in error: the opposite amount, naming it, with the reason ({@code note}). */
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Path("/{lineId}/reversal")
    public Response reverse(
            @PathParam("id") String id,
            @PathParam("lineId") String lineId,
            @NotNull(message = "is required: send {\"note\"}, why the line is reversed") @Valid ReverseRedress body) {
        Redress.LineView line =
                redress.reverse(Ids.parse(id, "id"), Ids.parse(lineId, "lineId"), body, callers.agent());
        return Response.status(Response.Status.CREATED).entity(line).build();
    }
}
