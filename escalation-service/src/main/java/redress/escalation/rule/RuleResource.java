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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import redress.escalation.escalate.DryRun;
import redress.support.identity.Callers;
import redress.support.paging.Cursor;
import redress.support.paging.PageSize;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/** Escalation rules: everyone in the firm reads them, rules-admin changes them, every change is a new version. */
@Path("/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {

    /** The id a draft without one is evaluated and reported under. */
    static final String DRAFT = "draft";

    private final Rules rules;
    private final Callers callers;
    private final DryRun dryRun;

    public RuleResource(Rules rules, Callers callers, DryRun dryRun) {
        this.rules = rules;
        this.callers = callers;
        this.dryRun = dryRun;
    }

    /** A draft rule (added, or replacing the rule of its id) replayed with the live rules over the stored history. */
    @POST
    @Path("/dry-run")
    @RolesAllowed(Roles.RULES_ADMIN)
    public DryRun.Answer dryRun(
            @Valid @NotNull RuleBody body,
            @QueryParam("maxEvents") Integer maxEvents,
            @QueryParam(Cursor.PARAM) String after,
            @QueryParam("limit") String limit) {
        String id = body.id() == null ? DRAFT : body.id();
        return run(id, body, 0, maxEvents, after, limit);
    }

    /** The rule's current version, or a changed draft of it (a body), replayed with the other live rules. */
    @POST
    @Path("/{id}/dry-run")
    @RolesAllowed(Roles.RULES_ADMIN)
    public DryRun.Answer dryRun(
            @PathParam("id") String id,
            @Valid RuleBody body,
            @QueryParam("maxEvents") Integer maxEvents,
            @QueryParam(Cursor.PARAM) String after,
            @QueryParam("limit") String limit) {
        RuleVersion current = rules.current(id);
        if (body == null) {
            return run(
                    id,
                    new RuleBody(
                            id,
                            current.name,
                            current.condition,
                            current.target,
                            current.position,
                            true,
                            current.reason,
                            current.action),
                    current.version,
                    maxEvents,
                    after,
                    limit);
        }
        if (body.id() != null && !body.id().equals(id)) {
            throw ProblemException.invalidField("id", "must be " + id + " or left out");
        }
        return run(id, body, 0, maxEvents, after, limit);
    }

    private DryRun.Answer run(String id, RuleBody draft, int version, Integer maxEvents, String after, String limit) {
        int max = maxEvents == null ? DryRun.DEFAULT_MAX_EVENTS : maxEvents;
        String filters = id + "|" + version + "|" + draft.name() + "|" + draft.condition() + "|" + draft.target() + "|"
                + draft.position() + "|" + draft.reason() + "|" + draft.actionOrDefault();
        return dryRun.run(rules.liveWith(draft, id, version), max, filters, after, PageSize.of(limit));
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public Map<String, List<RuleView>> list() {
        return Map.of("items", rules.current().stream().map(this::view).toList());
    }

    @POST
    @RolesAllowed(Roles.RULES_ADMIN)
    public Response create(@Valid @NotNull RuleBody body, @Context UriInfo uri) {
        RuleView v = view(rules.create(body, callers.subject()));
        URI location = uri.getBaseUriBuilder().path("rules").path(v.id()).build();
        return Response.created(location).entity(v).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public RuleView get(@PathParam("id") String id) {
        return view(rules.current(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.RULES_ADMIN)
    public RuleView update(@PathParam("id") String id, @Valid @NotNull RuleBody body) {
        return view(rules.update(id, body, callers.subject()));
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
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public Map<String, List<RuleView>> versions(@PathParam("id") String id) {
        return Map.of("items", rules.versions(id).stream().map(this::view).toList());
    }

    private RuleView view(RuleVersion v) {
        return RuleView.of(v, rules.problem(v));
    }
}
