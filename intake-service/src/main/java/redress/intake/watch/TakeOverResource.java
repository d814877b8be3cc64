package redress.intake.watch;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import redress.intake.Ids;
import redress.intake.assignment.Assignments;
import redress.intake.complaint.Complaint;
import redress.intake.complaint.ComplaintView;
import redress.intake.customer.CustomerKeys;
import redress.support.identity.Callers;
import redress.support.security.Roles;

/**
 * Issue 31: a watcher takes the case over with one call. A {@code supervisor} may take over any
 * watch; an {@code agent} a watch at or below the level its token names (docs/security.md).
 */
@Path("/complaints/{id}/take-over")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TakeOverResource {

    private final Assignments assignments;
    private final Callers callers;
    private final CustomerKeys keys;
    private final WatcherLevel level;

    public TakeOverResource(Assignments assignments, Callers callers, CustomerKeys keys, WatcherLevel level) {
        this.assignments = assignments;
        this.callers = callers;
        this.keys = keys;
        this.level = level;
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    public ComplaintView takeOver(@PathParam("id") String id, TakeOver body) {
        Complaint c = assignments.takeOver(
                Ids.parse(id, "id"), body == null ? null : body.escalationId(), callers.agent(), level.caller());
        List<WatchView> open =
                CaseWatch.openOf(c.id).stream().map(WatchView::of).toList();
        return ComplaintView.of(c, keys.view(c), null, null).withWatches(open);
    }
}
