package redress.intake.abuse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.intake.Ids;
import redress.intake.complaint.Complaint;
import redress.intake.interaction.InteractionView;
import redress.intake.interaction.Interactions;
import redress.support.identity.Callers;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * Issue 31: abuse reports, for supervisors (every report) and agents (the reports they filed: an
 * agent ended the conversation). Acknowledging is a supervisor's, never the one who filed it;
 * the debrief is the agent's or a supervisor's.
 */
@Path("/abuse-reports")
@Produces(MediaType.APPLICATION_JSON)
public class AbuseReportResource {

    private final AbuseReports reports;
    private final Interactions interactions;
    private final Callers callers;

    public AbuseReportResource(AbuseReports reports, Interactions interactions, Callers callers) {
        this.reports = reports;
        this.interactions = interactions;
        this.callers = callers;
    }

    /**
     * The reports, oldest first: {@code status} {@code OPEN} (not yet acknowledged) or {@code
     * ACKNOWLEDGED}, all when absent; of one case when {@code caseId} is given. An agent sees only
     * the reports they filed.
     */
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @GET
    public List<AbuseReportView> list(@QueryParam("status") String status, @QueryParam("caseId") String caseId) {
        Boolean acknowledged = acknowledged(status);
        UUID caseFilter = caseId == null || caseId.isBlank() ? null : Ids.parse(caseId, "caseId");
        Map<UUID, String> references = new HashMap<>();
        return reports.list(acknowledged, onlyOf(), caseFilter).stream()
                .map(r -> AbuseReportView.of(
                        r, references.computeIfAbsent(r.complaintId, k -> Complaint.existing(k).reference), null))
                .toList();
    }

    /** One report with its record: the conversation's interactions, the ended one last. */
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @GET
    @Path("/{id}")
    public AbuseReportView get(@PathParam("id") String id) {
        return withRecord(reports.visible(Ids.parse(id, "id"), onlyOf()));
    }

    @RolesAllowed(Roles.SUPERVISOR)
    @POST
    @Path("/{id}/acknowledge")
    public AbuseReportView acknowledge(@PathParam("id") String id) {
        return withRecord(reports.acknowledge(Ids.parse(id, "id"), callers.agent()));
    }

    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @POST
    @Path("/{id}/debrief")
    @Consumes(MediaType.APPLICATION_JSON)
    public AbuseReportView debrief(
            @PathParam("id") String id,
            @NotNull(message = "is required: send the debrief as a JSON object") @Valid DebriefAgent body) {
        return withRecord(
                reports.debrief(Ids.parse(id, "id"), body, callers.agent(), callers.hasRole(Roles.SUPERVISOR)));
    }

    /** The agent whose reports alone the caller sees, or null for a supervisor. */
    private String onlyOf() {
        return callers.hasRole(Roles.SUPERVISOR) ? null : callers.subject();
    }

    private AbuseReportView withRecord(AbuseReport r) {
        Set<UUID> ids = Set.of(r.recordIds);
        List<InteractionView> record = interactions.list(r.complaintId).stream()
                .filter(i -> ids.contains(i.id()))
                .toList();
        return AbuseReportView.of(r, Complaint.existing(r.complaintId).reference, record);
    }

    private static Boolean acknowledged(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        return switch (status.trim()) {
            case AbuseReportView.OPEN -> false;
            case AbuseReportView.ACKNOWLEDGED -> true;
            default -> throw ProblemException.invalidField("status", "must be OPEN or ACKNOWLEDGED");
        };
    }
}
