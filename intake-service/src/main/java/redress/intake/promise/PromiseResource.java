package redress.intake.promise;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import redress.intake.Ids;
import redress.support.identity.Callers;

@Path("/complaints/{id}/promises")
@Produces(MediaType.APPLICATION_JSON)
public class PromiseResource {

    private final Promises promises;
    private final Callers callers;

    public PromiseResource(Promises promises, Callers callers) {
        this.promises = promises;
        this.callers = callers;
    }

    @GET
    public List<Promises.PromiseView> list(@PathParam("id") String id) {
        return promises.list(Ids.parse(id, "id"));
    }

    @POST
    @Path("/{promiseId}/kept")
    public Promises.PromiseView kept(@PathParam("id") String id, @PathParam("promiseId") String promiseId) {
        return promises.keep(Ids.parse(id, "id"), Ids.parse(promiseId, "promiseId"), callers.agent());
    }
}
