package redress.intake.interaction;

import java.net.URI;
import java.util.List;

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
import redress.support.identity.Callers;

@Path("/complaints/{id}/interactions")
@Produces(MediaType.APPLICATION_JSON)
public class InteractionResource {

    private final Interactions interactions;
    private final Callers callers;

    public InteractionResource(Interactions interactions, Callers callers) {
        this.interactions = interactions;
        this.callers = callers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response record(@PathParam("id") String id,
            @NotNull(message = "is required: send the interaction as a JSON object") @Valid RecordInteraction body) {
        InteractionView v = interactions.record(Ids.parse(id, "id"), body, callers.agent());
        return Response.created(URI.create("/complaints/" + v.caseId() + "/interactions#" + v.id())).entity(v).build();
    }

    @GET
    public List<InteractionView> list(@PathParam("id") String id) {
        return interactions.list(Ids.parse(id, "id"));
    }
}
