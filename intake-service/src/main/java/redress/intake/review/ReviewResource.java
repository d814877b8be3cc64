package redress.intake.review;

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
import redress.support.identity.Callers;
import redress.support.security.Roles;

/** Issue 31: post-case reviews, for agents and supervisors only. */
@Path("/complaints/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    private final CaseReviews reviews;
    private final Callers callers;

    public ReviewResource(CaseReviews reviews, Callers callers) {
        this.reviews = reviews;
        this.callers = callers;
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Path("/review")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response review(
            @PathParam("id") String id,
            @NotNull(message = "is required: send the review as a JSON object") @Valid ReviewCase body) {
        CaseReviewView v = reviews.review(Ids.parse(id, "id"), body, callers.agent());
        return Response.created(URI.create("/complaints/" + v.caseId() + "/reviews#" + v.id()))
                .entity(v)
                .build();
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @GET
    @Path("/reviews")
    public List<CaseReviewView> list(@PathParam("id") String id) {
        UUID caseId = Ids.parse(id, "id");
        return reviews.list(caseId);
    }
}
