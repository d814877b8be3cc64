package redress.intake.classification;

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

@Path("/complaints/{id}/classification")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ClassificationResource {

    private final Classifications classifications;
    private final Callers callers;
    private final CustomerKeys keys;

    public ClassificationResource(Classifications classifications, Callers callers, CustomerKeys keys) {
        this.classifications = classifications;
        this.callers = callers;
        this.keys = keys;
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    public ComplaintView reclassify(
            @PathParam("id") String id,
            @NotNull(message = "is required: send {\"regulatoryProfile\", \"product\", \"category\", \"reason\"}")
                    @Valid
                    Reclassify body) {
        var c = classifications.reclassify(Ids.parse(id, "id"), body, callers.agent());
        return ComplaintView.of(c, keys.view(c), null);
    }
}
