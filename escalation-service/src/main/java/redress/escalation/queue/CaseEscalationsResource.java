package redress.escalation.queue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import redress.support.security.Roles;

/** A case's escalations, oldest first, whatever their status. */
@Path("/cases/{caseId}/escalations")
@Produces(MediaType.APPLICATION_JSON)
public class CaseEscalationsResource {

    private final EscalationQueue queue;

    public CaseEscalationsResource(EscalationQueue queue) {
        this.queue = queue;
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public Map<String, List<EscalationView>> ofCase(@PathParam("caseId") UUID caseId) {
        return Map.of("items", queue.ofCase(caseId));
    }
}
