package redress.intake.letter;

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

/** Letter templates: the firm's roles read them, a rules-admin publishes the next version of one. */
@Path("/letter-templates")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
public class LetterTemplateResource {

    /** A template version as shown. */
    public record TemplateView(
            String profile,
            String language,
            int version,
            String body,
            List<String> elements,
            String timeZone,
            String reason,
            String createdBy,
            Instant createdAt) {
        static TemplateView of(LetterTemplate t) {
            return new TemplateView(
                    t.profile,
                    t.language,
                    t.version,
                    t.body,
                    List.of(t.elements),
                    t.timeZone,
                    t.reason,
                    t.createdBy,
                    t.createdAt);
        }
    }

    private final LetterTemplates templates;
    private final Callers callers;

    public LetterTemplateResource(LetterTemplates templates, Callers callers) {
        this.templates = templates;
        this.callers = callers;
    }

    /** The version in force of every template. */
    @GET
    public List<TemplateView> list() {
        return templates.currentOfEach().stream().map(TemplateView::of).toList();
    }

    @GET
    @Path("/{profile}/{language}")
    public TemplateView current(@PathParam("profile") String profile, @PathParam("language") String language) {
        return templates
                .current(profile, language)
                .map(TemplateView::of)
                .orElseThrow(() -> ProblemException.notFound("Letter template", profile + "/" + language));
    }

    @PUT
    @Path("/{profile}/{language}")
    @RolesAllowed(Roles.RULES_ADMIN)
    public TemplateView publish(
            @PathParam("profile") String profile,
            @PathParam("language") String language,
            @NotNull(message = "is required: send {\"body\", \"elements\", \"timeZone\", \"reason\"}") @Valid
                    PublishLetterTemplate body) {
        return TemplateView.of(templates.publish(profile, language, body, callers.agent()));
    }
}
