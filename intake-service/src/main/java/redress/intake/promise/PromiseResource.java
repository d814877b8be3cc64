package redress.intake.promise;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import redress.intake.Ids;
import redress.intake.complaint.CaseAccess;
import redress.support.identity.Callers;
import redress.support.security.Roles;

@Path("/complaints/{id}/promises")
@Produces(MediaType.APPLICATION_JSON)
public class PromiseResource {

    private final Promises promises;
    private final Callers callers;
    private final CaseAccess access;

    public PromiseResource(Promises promises, Callers callers, CaseAccess access) {
        this.access = access;
        this.promises = promises;
        this.callers = callers;
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    public List<Promises.PromiseView> list(@PathParam("id") String id) {
        UUID caseId = Ids.parse(id, "id");
        access.requireVisible(caseId);
        return promises.list(caseId);
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Path("/{promiseId}/kept")
    public Promises.PromiseView kept(@PathParam("id") String id, @PathParam("promiseId") String promiseId) {
        return promises.keep(Ids.parse(id, "id"), Ids.parse(promiseId, "promiseId"), callers.agent());
    }
}
