package redress.intake.complaint;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import redress.events.CaseStatus;
import redress.events.EscalationLevel;
import redress.events.Severity;
import redress.intake.Ids;
import redress.intake.customer.CustomerKeys;
import redress.intake.watch.CaseWatch;
import redress.intake.watch.WatchView;
import redress.support.identity.Callers;
import redress.support.paging.Page;
import redress.support.paging.PageSize;
import redress.support.problem.ProblemException;
import redress.support.query.QueryParams;
import redress.support.security.RateLimited;
import redress.support.security.Roles;

@Path("/complaints")
@Produces(MediaType.APPLICATION_JSON)
public class ComplaintResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    private final ComplaintIntake intake;
    private final ComplaintSearch search;
    private final Callers callers;
    private final CaseAccess access;
    private final CustomerKeys keys;

    public ComplaintResource(
            ComplaintIntake intake, ComplaintSearch search, Callers callers, CaseAccess access, CustomerKeys keys) {
        this.keys = keys;
        this.access = access;
        this.intake = intake;
        this.search = search;
        this.callers = callers;
    }

    @RolesAllowed(Roles.SUBMITTER)
    @RateLimited
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(
            @NotNull(message = "is required: send the complaint as a JSON object") @Valid SubmitComplaint body,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        String key = checkKey(idempotencyKey);
        ComplaintIntake.Submitted s = intake.submit(body, key, callers.integration(), access.scope());
        Complaint c = s.complaint();
        // A new case's customer as just submitted (no read of the key after the commit); a replay's as stored.
        Response.ResponseBuilder r = Response.created(URI.create("/complaints/" + c.id))
                .entity(ComplaintView.of(c, s.customer() != null ? s.customer() : keys.view(c), s.earlier()));
        if (s.replayed()) {
            r.header(REPLAYED, "true");
        }
        return r.build();
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    @Path("/{id}")
    public ComplaintView get(@PathParam("id") String id) {
        UUID caseId = Ids.parse(id, "id");
        access.requireVisible(caseId);
        Complaint c = Complaint.existing(caseId);
        return ComplaintView.of(c, keys.view(c), access.visible(intake.earlier(c)), RedressTotal.ofCase(c.id))
                .withWatches(CaseWatch.openOf(c.id).stream().map(WatchView::of).toList());
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    public Page<ComplaintView> list(
            @QueryParam("status") String status,
            @QueryParam("severity") String severity,
            @QueryParam("level") String level,
            @QueryParam("assignee") String assignee,
            @QueryParam("customerId") String customerId,
            @QueryParam("regulatoryProfile") String regulatoryProfile,
            @QueryParam("classified") String classified,
            @QueryParam("settled") String settled,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        var filters = new ComplaintSearch.Filters(
                QueryParams.enumValue(CaseStatus.class, status, "status"),
                QueryParams.enumValue(Severity.class, severity, "severity"),
                QueryParams.enumValue(EscalationLevel.class, level, "level"),
                QueryParams.text(assignee, "assignee", 100),
                QueryParams.text(customerId, "customerId", 100),
                access.scope().orElse(null),
                QueryParams.text(regulatoryProfile, "regulatoryProfile", 50),
                QueryParams.bool(classified, "classified"),
                QueryParams.bool(settled, "settled"));
        return search.search(filters, after, PageSize.of(limit));
    }

    /** The Idempotency-Key header as given, or null; 400 naming it unless 1 to 200 visible ASCII characters. */
    public static String checkKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > 200 || !key.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            throw ProblemException.invalidField(IDEMPOTENCY_KEY, "must be 1 to 200 visible ASCII characters");
        }
        return key;
    }
}
