package redress.intake.complaint;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.support.paging.Page;
import redress.support.paging.PageSize;
import redress.support.query.QueryParams;
import redress.support.security.Roles;

/** A customer's complaints, newest first: repeat complainants are visible at a glance. */
@Path("/customers/{customerId}/complaints")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerResource {

    private final ComplaintSearch search;
    private final CaseAccess access;

    public CustomerResource(ComplaintSearch search, CaseAccess access) {
        this.search = search;
        this.access = access;
    }

    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR})
    @GET
    public Page<ComplaintView> complaints(
            @PathParam("customerId") String customerId,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        var filters = new ComplaintSearch.Filters(
                null,
                null,
                null,
                null,
                QueryParams.text(customerId, "customerId", 100),
                access.scope().orElse(null));
        return search.search(filters, after, PageSize.of(limit));
    }
}
