package redress.followup.progress;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import redress.support.paging.PageSize;
import redress.support.query.QueryParams;
import redress.support.security.Roles;

/**
 * Keeping the customer informed: progress updates due (or pending, sent, cancelled) and suggested
 * customer notices, across cases and per case.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class KeepingInformedResource {

    /** Progress-update reminders in one state ({@code DUE} when not given), of one case if given, soonest due first. */
    @GET
    @Path("progress-updates")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public Map<String, List<ProgressUpdateView>> progressUpdates(
            @QueryParam("status") String status,
            @QueryParam("caseId") String caseId,
            @QueryParam("limit") String limit) {
        ProgressUpdate.State s = status == null || status.isBlank()
                ? ProgressUpdate.State.DUE
                : QueryParams.enumValue(ProgressUpdate.State.class, status, "status");
        UUID c = QueryParams.uuid(caseId, "caseId");
        PanacheQuery<ProgressUpdate> q = c == null
                ? ProgressUpdate.find("state = ?1 order by dueAt, id", s.name())
                : ProgressUpdate.find("state = ?1 and caseId = ?2 order by dueAt, id", s.name(), c);
        return Map.of(
                "items",
                q.page(0, PageSize.of(limit)).list().stream()
                        .map(ProgressUpdateView::of)
                        .toList());
    }

    /** Every progress-update reminder of the case, in the order they were scheduled. */
    @GET
    @Path("cases/{caseId}/progress-updates")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR, Roles.AUDITOR})
    public Map<String, List<ProgressUpdateView>> progressUpdatesOfCase(@PathParam("caseId") UUID caseId) {
        List<ProgressUpdate> rows = ProgressUpdate.list("caseId = ?1 order by seq", caseId);
        return Map.of("items", rows.stream().map(ProgressUpdateView::of).toList());
    }

    /** Suggested customer notices in one state ({@code SUGGESTED} when not given), of one case if given, oldest first. */
    @GET
    @Path("customer-notices")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public Map<String, List<CustomerNoticeView>> customerNotices(
            @QueryParam("status") String status,
            @QueryParam("caseId") String caseId,
            @QueryParam("limit") String limit) {
        CustomerNotice.State s = status == null || status.isBlank()
                ? CustomerNotice.State.SUGGESTED
                : QueryParams.enumValue(CustomerNotice.State.class, status, "status");
        UUID c = QueryParams.uuid(caseId, "caseId");
        PanacheQuery<CustomerNotice> q = c == null
                ? CustomerNotice.find("state = ?1 order by suggestedAt, id", s.name())
                : CustomerNotice.find("state = ?1 and caseId = ?2 order by suggestedAt, id", s.name(), c);
        return Map.of(
                "items",
                q.page(0, PageSize.of(limit)).list().stream()
                        .map(CustomerNoticeView::of)
                        .toList());
    }

    /** Every customer notice suggested for the case, in the order they were suggested. */
    @GET
    @Path("cases/{caseId}/customer-notices")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR, Roles.AUDITOR})
    public Map<String, List<CustomerNoticeView>> customerNoticesOfCase(@PathParam("caseId") UUID caseId) {
        List<CustomerNotice> rows = CustomerNotice.list("caseId = ?1 order by seq", caseId);
        return Map.of("items", rows.stream().map(CustomerNoticeView::of).toList());
    }
}
