package redress.intake.interaction;

import java.net.URI;
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

import redress.intake.Ids;
import redress.intake.complaint.CaseAccess;
import redress.support.identity.Callers;
import redress.support.security.Roles;

@Path("/complaints/{id}/interactions")
@Produces(MediaType.APPLICATION_JSON)
public class InteractionResource {

    private final Interactions interactions;
    private final Callers callers;
    private final CaseAccess access;

    public InteractionResource(Interactions interactions, Callers callers, CaseAccess access) {
        this.access = access;
        this.interactions = interactions;
        this.callers = callers;
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response record(
            @PathParam("id") String id,
            @NotNull(message = "is required: send the interaction as a JSON object") @Valid RecordInteraction body) {
        InteractionView v = interactions.record(Ids.parse(id, "id"), body, callers.agent());
        return Response.created(URI.create("/complaints/" + v.caseId() + "/interactions#" + v.id()))
                .entity(v)
                .build();
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    public List<InteractionView> list(@PathParam("id") String id) {
        UUID caseId = Ids.parse(id, "id");
        access.requireVisible(caseId);
        return interactions.list(caseId);
    }
}
