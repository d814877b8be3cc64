package redress.intake.taxonomy;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import redress.support.identity.Callers;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * The complaint taxonomy: every role of the firm reads it (agents pick codes from it), a
 * rules-admin publishes the next version.
 */
@Path("/taxonomy")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
public class TaxonomyResource {

    /** A version as listed: its number, why and by whom. */
    public record VersionView(int version, String reason, String createdBy, Instant createdAt) {}

    private final Taxonomies taxonomies;
    private final Callers callers;

    public TaxonomyResource(Taxonomies taxonomies, Callers callers) {
        this.taxonomies = taxonomies;
        this.callers = callers;
    }

    @GET
    public Taxonomy current() {
        return taxonomies.current();
    }

    @GET
    @Path("/versions")
    public List<VersionView> versions() {
        return taxonomies.versions().stream()
                .map(v -> new VersionView(v.version, v.reason, v.createdBy, v.createdAt))
                .toList();
    }

    @GET
    @Path("/versions/{version}")
    public Taxonomy version(@PathParam("version") String version) {
        try {
            return taxonomies.version(Integer.parseInt(version));
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("version", "must be a whole number");
        }
    }

    @PUT
    @RolesAllowed(Roles.RULES_ADMIN)
    public Taxonomy publish(
            @NotNull(message = "is required: send {\"productGroups\": [...], \"rootCauses\": [...], \"reason\": ...}")
                    @Valid
                    PublishTaxonomy body) {
        return taxonomies.publish(body, callers.agent());
    }
}
