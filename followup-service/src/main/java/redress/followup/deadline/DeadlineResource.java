package redress.followup.deadline;

import java.time.Clock;
import java.time.Instant;
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

import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.Calendars;
import redress.support.paging.PageSize;
import redress.support.security.Roles;
import redress.support.time.Clocks;

/** A case's deadlines, and the deadlines at risk across cases. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class DeadlineResource {

    private final Calendars calendars;
    private final Clock clock;

    public DeadlineResource(Calendars calendars, Clock clock) {
        this.calendars = calendars;
        this.clock = clock;
    }

    /**
     * Every deadline of the case, in the order they started (those that start together, as a
     * reopening's or a reclassification's with the first receipt's, in the order they were
     * scheduled): due time, time left in working terms, paused or not, met (and by what), extended,
     * warned, breached, superseded.
     */
    @GET
    @Path("cases/{caseId}/deadlines")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR, Roles.AUDITOR})
    public Map<String, List<DeadlineView>> ofCase(@PathParam("caseId") UUID caseId) {
        return Map.of("items", views(Deadline.<Deadline>list("caseId = ?1 order by startedAt, seq", caseId)));
    }

    /** Pending deadlines already warned, and breached ones, soonest due first: what an operations lead looks at. */
    @GET
    @Path("deadlines/at-risk")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPERATOR})
    public Map<String, List<DeadlineView>> atRisk(@QueryParam("limit") String limit) {
        List<Deadline> rows = Deadline.<Deadline>find(
                        "(state = ?1 and warningsSent > 0) or state = ?2 order by dueAt, id",
                        Deadline.PENDING,
                        Deadline.BREACHED)
                .page(0, PageSize.of(limit))
                .list();
        return Map.of("items", views(rows));
    }

    private List<DeadlineView> views(List<Deadline> rows) {
        Instant now = Clocks.now(clock);
        return rows.stream()
                .map(d -> {
                    BusinessCalendar cal = calendars.get(d.calendar);
                    return DeadlineView.of(
                            d, cal.businessTimeBetween(now, d.dueAt), now, cal.beyondKnownHolidays(d.dueAt));
                })
                .toList();
    }
}
