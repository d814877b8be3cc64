package redress.escalation.rule;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import redress.support.identity.Callers;
import redress.support.security.Roles;

/** Escalation rules: everyone in the firm reads them, rules-admin changes them, every change is a new version. */
@Path("/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {

    private final Rules rules;
    private final Callers callers;

    public RuleResource(Rules rules, Callers callers) {
        this.rules = rules;
        this.callers = callers;
    }

    @GET
    @RolesAllowed({ Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR })
    public Map<String, List<RuleView>> list() {
        return Map.of("items", rules.current().stream().map(RuleView::of).toList());
    }

    @POST
    @RolesAllowed(Roles.RULES_ADMIN)
    public Response create(@Valid @NotNull RuleBody body, @Context UriInfo uri) {
        RuleView v = RuleView.of(rules.create(body, callers.subject()));
        URI location = uri.getBaseUriBuilder().path("rules").path(v.id()).build();
        return Response.created(location).entity(v).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR })
    public RuleView get(@PathParam("id") String id) {
        return RuleView.of(rules.current(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.RULES_ADMIN)
    public RuleView update(@PathParam("id") String id, @Valid @NotNull RuleBody body) {
        return RuleView.of(rules.update(id, body, callers.subject()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.RULES_ADMIN)
    public Response delete(@PathParam("id") String id) {
        rules.delete(id, callers.subject());
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed({ Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR })
    public Map<String, List<RuleView>> versions(@PathParam("id") String id) {
        return Map.of("items", rules.versions(id).stream().map(RuleView::of).toList());
    }
}
