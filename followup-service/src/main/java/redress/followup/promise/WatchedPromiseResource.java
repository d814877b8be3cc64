package redress.followup.promise;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.support.paging.PageSize;
import redress.support.query.QueryParams;
import redress.support.security.Roles;

/** Promises made to customers, soonest due first: pending ones are what is about to be missed. */
@Path("/promises")
@Produces(MediaType.APPLICATION_JSON)
public class WatchedPromiseResource {

    public enum Status {
        PENDING,
        KEPT,
        MISSED
    }

    public record PromiseView(
            UUID id,
            UUID caseId,
            String reference,
            String text,
            Instant dueAt,
            String state,
            Instant keptAt,
            Instant missedAt) {}

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public Map<String, List<PromiseView>> list(@QueryParam("status") String status, @QueryParam("limit") String limit) {
        Status s = status == null || status.isBlank()
                ? Status.PENDING
                : QueryParams.enumValue(Status.class, status, "status");
        List<WatchedPromise> rows = WatchedPromise.<WatchedPromise>find("state = ?1 order by dueAt, id", s.name())
                .page(0, PageSize.of(limit))
                .list();
        return Map.of(
                "items",
                rows.stream()
                        .map(p -> new PromiseView(
                                p.id, p.caseId, p.reference, p.text, p.dueAt, p.state, p.keptAt, p.missedAt))
                        .toList());
    }
}
