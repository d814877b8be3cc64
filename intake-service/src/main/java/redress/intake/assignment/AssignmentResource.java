package redress.intake.assignment;

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

@Path("/complaints/{id}/assignment")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AssignmentResource {

    private final Assignments assignments;
    private final Callers callers;
    private final CustomerKeys keys;

    public AssignmentResource(Assignments assignments, Callers callers, CustomerKeys keys) {
        this.keys = keys;
        this.assignments = assignments;
        this.callers = callers;
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    public ComplaintView assign(
            @PathParam("id") String id,
            @NotNull(message = "is required: send {\"assignee\", \"level\", \"briefing\"}") @Valid Assign body) {
        var c = assignments.assign(Ids.parse(id, "id"), body, callers.agent());
        return ComplaintView.of(c, keys.view(c), null);
    }
}
