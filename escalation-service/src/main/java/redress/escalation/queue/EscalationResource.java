package redress.escalation.queue;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.support.paging.Page;
import redress.support.paging.PageSize;
import redress.support.security.Roles;

/** The queue of escalations that supervisors and agents work. */
@Path("/escalations")
@Produces(MediaType.APPLICATION_JSON)
public class EscalationResource {

    private final EscalationQueue queue;

    public EscalationResource(EscalationQueue queue) {
        this.queue = queue;
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public Page<EscalationView> list(
            @QueryParam("status") String status,
            @QueryParam("level") String level,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        return queue.list(status, level, after, PageSize.of(limit));
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    public EscalationView acknowledge(@PathParam("id") UUID id) {
        return queue.acknowledge(id);
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    public EscalationView resolve(@PathParam("id") UUID id, @Valid ResolveEscalation body) {
        return queue.resolve(id, body == null ? null : body.outcome());
    }
}
