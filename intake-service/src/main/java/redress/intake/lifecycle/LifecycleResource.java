package redress.intake.lifecycle;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import redress.intake.Ids;
import redress.intake.complaint.ComplaintView;
import redress.intake.customer.CustomerKeys;
import redress.support.identity.Callers;
import redress.support.security.Roles;

@Path("/complaints/{id}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LifecycleResource {

    private final CaseLifecycle lifecycle;
    private final Callers callers;
    private final CustomerKeys keys;

    public LifecycleResource(CaseLifecycle lifecycle, Callers callers, CustomerKeys keys) {
        this.keys = keys;
        this.lifecycle = lifecycle;
        this.callers = callers;
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Path("/status")
    public ComplaintView changeStatus(
            @PathParam("id") String id,
            @NotNull(message = "is required: send {\"status\": ..., \"reason\": ...}") @Valid ChangeStatus body) {
        var c = lifecycle.changeStatus(Ids.parse(id, "id"), body, callers.agent());
        return ComplaintView.of(c, keys.view(c), null);
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Path("/resolution")
    public ComplaintView resolve(
            @PathParam("id") String id,
            @NotNull(message = "is required: send {\"summary\": ...}") @Valid ResolveCase body) {
        var c = lifecycle.resolve(Ids.parse(id, "id"), body, callers.agent());
        return ComplaintView.of(c, keys.view(c), null);
    }
}
