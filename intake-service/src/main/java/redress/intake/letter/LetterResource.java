package redress.intake.letter;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import redress.intake.Ids;
import redress.intake.complaint.CaseAccess;
import redress.support.identity.Callers;
import redress.support.security.Roles;

/**
 * A case's final response letters: agents and supervisors draft and send, a supervisor other than
 * the author approves; whoever may read the case reads them.
 */
@Path("/complaints/{id}/letters")
@Produces(MediaType.APPLICATION_JSON)
public class LetterResource {

    private final Letters letters;
    private final Callers callers;
    private final CaseAccess access;

    public LetterResource(Letters letters, Callers callers, CaseAccess access) {
        this.letters = letters;
        this.callers = callers;
        this.access = access;
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response draft(@PathParam("id") String id, @Valid DraftLetter body) {
        Letters.LetterView v = letters.draft(Ids.parse(id, "id"), body, callers.agent());
        return Response.created(URI.create("/complaints/" + v.caseId() + "/letters/" + v.id()))
                .entity(v)
                .build();
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    public List<Letters.LetterView> list(@PathParam("id") String id) {
        UUID caseId = Ids.parse(id, "id");
        access.requireVisible(caseId);
        return letters.list(caseId);
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    @Path("/{letterId}")
    public Letters.LetterView get(@PathParam("id") String id, @PathParam("letterId") String letterId) {
        UUID caseId = Ids.parse(id, "id");
        access.requireVisible(caseId);
        return letters.get(caseId, Ids.parse(letterId, "letterId"));
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    @Path("/{letterId}/pdf")
    @Produces({"application/pdf", MediaType.APPLICATION_JSON})
    public Response pdf(@PathParam("id") String id, @PathParam("letterId") String letterId) {
        UUID caseId = Ids.parse(id, "id");
        access.requireVisible(caseId);
        UUID letter = Ids.parse(letterId, "letterId");
        byte[] pdf = letters.pdf(caseId, letter);
        return Response.ok(pdf, "application/pdf")
                .header("Content-Disposition", "inline; filename=\"letter-" + letter + ".pdf\"")
                .build();
    }

    @RolesAllowed(Roles.SUPERVISOR)
    @POST
    @Path("/{letterId}/approval")
    public Letters.LetterView approve(@PathParam("id") String id, @PathParam("letterId") String letterId) {
        return letters.approve(Ids.parse(id, "id"), Ids.parse(letterId, "letterId"), callers.agent());
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Path("/{letterId}/sending")
    public Letters.LetterView send(@PathParam("id") String id, @PathParam("letterId") String letterId) {
        return letters.send(Ids.parse(id, "id"), Ids.parse(letterId, "letterId"), callers.agent());
    }
}
