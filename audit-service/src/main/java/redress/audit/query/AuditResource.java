package redress.audit.query;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.events.ActorType;
import redress.support.paging.Page;
import redress.support.paging.PageSize;
import redress.support.problem.ProblemException;
import redress.support.query.QueryParams;
import redress.support.security.Roles;

@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** @param truncated the history was longer than the most one answer carries (use /audit/entries for the rest) */
    public record CaseHistory(
            String caseId, String reference, int entries, boolean truncated, List<EntryView> history) {}

    private final AuditQueries queries;
    private final AccessRecorder access;

    public AuditResource(AuditQueries queries, AccessRecorder access) {
        this.queries = queries;
        this.access = access;
    }

    /** Everything that happened to a case, in order, in words. */
    @RolesAllowed(Roles.AUDITOR)
    @GET
    @Path("/cases/{caseId}")
    public CaseHistory caseHistory(@PathParam("caseId") String caseId) throws SQLException {
        String id = QueryParams.text(caseId, "caseId", 100);
        List<EntryView> history = queries.caseHistory(id);
        if (history.isEmpty()) {
            throw ProblemException.notFound("Case", id + " in the audit log");
        }
        String reference = history.stream()
                .map(e -> e.data().path("reference").asText(null))
                .filter(r -> r != null)
                .findFirst()
                .orElse(null);
        String customer = history.stream()
                .map(EntryView::customerId)
                .filter(c -> c != null)
                .findFirst()
                .orElse(null);
        access.record(AuditorRead.of("case-history", "caseId", id)
                .ofCase(id, reference, customer)
                .entries(
                        history.size(),
                        history.get(0).seq(),
                        history.get(history.size() - 1).seq()));
        return new CaseHistory(id, reference, history.size(), history.size() >= AuditQueries.CASE_HISTORY_MAX, history);
    }

    /**
     * @param actor {@code actortype:actorid} or an actor id
     * @param from  RFC 3339, inclusive, on the time the entry was recorded
     * @param to    RFC 3339, exclusive
     */
    @RolesAllowed(Roles.AUDITOR)
    @GET
    @Path("/entries")
    public Page<EntryView> entries(
            @QueryParam("caseId") String caseId,
            @QueryParam("customerId") String customerId,
            @QueryParam("actor") String actor,
            @QueryParam("type") String type,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit)
            throws SQLException {
        String actorType = null;
        String actorId = QueryParams.text(actor, "actor", 200);
        if (actorId != null && actorId.contains(":")) {
            String t = actorId.substring(0, actorId.indexOf(':'));
            try {
                actorType = ActorType.fromWire(t.toLowerCase(Locale.ROOT)).wire();
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField(
                        "actor",
                        "must be an actor id or actortype:actorid with actortype one of "
                                + "agent, system, customer, integration");
            }
            actorId = actorId.substring(actorId.indexOf(':') + 1);
            if (actorId.isBlank()) {
                throw ProblemException.invalidField("actor", "names no actor id after '" + t + ":'");
            }
        }
        String eventType = QueryParams.text(type, "type", 100);
        if (eventType != null && !eventType.matches("[A-Za-z0-9._-]+")) {
            throw ProblemException.invalidField("type", "must be an event type such as redress.case.resolved");
        }
        var filters = new AuditQueries.Filters(
                QueryParams.text(caseId, "caseId", 100),
                QueryParams.text(customerId, "customerId", 100),
                actorType,
                actorId,
                eventType,
                TimeRange.parse(from, to));
        Page<EntryView> page = queries.entries(filters, after, PageSize.of(limit));
        List<EntryView> items = page.items();
        AuditorRead read = AuditorRead.of(
                        "entries-query",
                        "caseId",
                        caseId,
                        "customerId",
                        customerId,
                        "actor",
                        actor,
                        "type",
                        type,
                        "from",
                        from,
                        "to",
                        to,
                        "after",
                        after,
                        "limit",
                        limit)
                .entries(
                        items.size(),
                        items.isEmpty() ? null : items.get(0).seq(),
                        items.isEmpty() ? null : items.get(items.size() - 1).seq());
        if (filters.caseId() != null) {
            String reference = items.stream()
                    .map(e -> e.data().path("reference").asText(null))
                    .filter(r -> r != null)
                    .findFirst()
                    .orElse(null);
            String customer = filters.customerId() != null
                    ? filters.customerId()
                    : items.stream()
                            .map(EntryView::customerId)
                            .filter(c -> c != null)
                            .findFirst()
                            .orElse(null);
            read = read.ofCase(filters.caseId(), reference, customer);
        } else if (filters.customerId() != null) {
            read = read.ofCustomer(filters.customerId());
        }
        access.record(read);
        return page;
    }
}
