package redress.followup.satisfaction;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import redress.followup.CaseState;
import redress.support.identity.Callers;
import redress.support.paging.Cursor;
import redress.support.paging.Page;
import redress.support.paging.PageSize;
import redress.support.problem.ProblemException;
import redress.support.query.QueryParams;
import redress.support.security.Roles;
import redress.support.time.Clocks;

/** Satisfaction follow-ups: the list agents work (DUE ones), and recording what the customer said. */
@Path("/followups")
@Produces(MediaType.APPLICATION_JSON)
public class FollowupResource {

    /**
     * What the customer said. {@code reached=false} records an attempt and leaves the follow-up due;
     * {@code reached=true} needs {@code satisfied}.
     */
    public record Outcome(
            @NotNull Boolean reached,
            Boolean satisfied,
            @Min(1) @Max(5) Integer rating,
            @Size(max = 4000) String feedback) {}

    private final Followups followups;
    private final Callers callers;
    private final Clock clock;

    public FollowupResource(Followups followups, Callers callers, Clock clock) {
        this.followups = followups;
        this.callers = callers;
        this.clock = clock;
    }

    /** Oldest first (in the order they were scheduled), keyset-paged. */
    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public Page<FollowupView> list(
            @QueryParam("status") String status,
            @QueryParam("caseId") String caseId,
            @QueryParam("dueBefore") String dueBefore,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Followup.State s = status == null || status.isBlank()
                ? null
                : QueryParams.enumValue(Followup.State.class, status, "status");
        UUID c = QueryParams.uuid(caseId, "caseId");
        Instant before = dueBefore == null || dueBefore.isBlank() ? null : instant(dueBefore);
        String filters = "status=" + (s == null ? "" : s) + "&caseId=" + (c == null ? "" : c) + "&dueBefore="
                + (before == null ? "" : before);
        StringBuilder q = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        if (s != null) {
            params.add(s.name());
            q.append(" and state = ?").append(params.size());
        }
        if (c != null) {
            params.add(c);
            q.append(" and caseId = ?").append(params.size());
        }
        if (before != null) {
            params.add(before);
            q.append(" and dueAt < ?").append(params.size());
        }
        if (after != null) {
            params.add(Cursor.decodeSeq(after, filters));
            q.append(" and seq > ?").append(params.size());
        }
        q.append(" order by seq");
        int size = PageSize.of(limit);
        List<Followup> rows = Followup.<Followup>find(q.toString(), params.toArray())
                .page(0, size + 1)
                .list();
        String next = rows.size() > size ? Cursor.encodeSeq(filters, rows.get(size - 1).seq) : null;
        return new Page<>(rows.stream().limit(size).map(FollowupView::of).toList(), next, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public FollowupView get(@PathParam("id") UUID id) {
        Followup f = Followup.findById(id);
        if (f == null) {
            throw ProblemException.notFound("follow-up", id);
        }
        return FollowupView.of(f);
    }

    @POST
    @Path("/{id}/outcome")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Transactional
    public FollowupView outcome(@PathParam("id") UUID id, @Valid @NotNull Outcome body) {
        List<UUID> caseId = Followup.getEntityManager()
                .createQuery("select f.caseId from Followup f where f.id = ?1", UUID.class)
                .setParameter(1, id)
                .getResultList();
        if (caseId.isEmpty()) {
            throw ProblemException.notFound("follow-up", id);
        }
        // The case's state first, then its follow-up, then (emitting) its outbox lock: the order a
        // consumer batch takes them in (CaseLocks), so that the two wait for each other, not deadlock.
        CaseState.findById(caseId.get(0), LockModeType.PESSIMISTIC_WRITE);
        Followup f = Followup.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (f == null) {
            throw ProblemException.notFound("follow-up", id);
        }
        if (f.stateValue() != Followup.State.DUE) {
            throw new ProblemException(ProblemException.conflict(
                            "followup-not-due",
                            "follow-up " + id + " is " + f.state + "; an outcome is recorded only for a DUE one")
                    .problem()
                    .withCurrentStatus(f.state));
        }
        if (body.reached() && body.satisfied() == null) {
            throw ProblemException.invalidField("satisfied", "is required when the customer was reached");
        }
        if (!body.reached() && (body.satisfied() != null || body.rating() != null)) {
            throw ProblemException.invalidField(
                    "reached", "is false: a customer not reached gives no verdict or rating");
        }
        String feedback = body.feedback() == null || body.feedback().isBlank()
                ? null
                : body.feedback().strip();
        return FollowupView.of(followups.outcome(
                f, body.reached(), body.satisfied(), body.rating(), feedback, callers.subject(), Clocks.now(clock)));
    }

    private static Instant instant(String raw) {
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("dueBefore", "is not an ISO-8601 instant such as 2026-11-30T12:00:00Z");
        }
    }
}
