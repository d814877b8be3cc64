package redress.followup.calendar;

import java.net.URI;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/** Business calendars: everyone authenticated reads them, rules-admin changes them (docs/followup.md). */
@Path("/calendars")
@Produces(MediaType.APPLICATION_JSON)
public class CalendarResource {

    public static final String TEXT_CALENDAR = "text/calendar";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_-]{0,62}";

    private final Calendars calendars;

    public CalendarResource(Calendars calendars) {
        this.calendars = calendars;
    }

    @GET
    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public Map<String, List<CalendarView>> list() {
        return Map.of(
                "items",
                calendars.stored().stream()
                        .map(c -> CalendarView.of(calendars.get(c.name), c.region, null, null))
                        .toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public CalendarView get(@PathParam("name") String name) {
        StoredCalendar c = calendars.stored(name);
        return CalendarView.of(
                calendars.get(name), c.region, calendars.includes(c.region), calendars.holidays(c.region));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.RULES_ADMIN)
    public Response put(@PathParam("name") String name, @NotNull CalendarBody body, @Context UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!name.matches(NAME)) {
            errors.add(new Problem.FieldError("name", "letters, digits, '-' and '_', at most 63"));
        }
        ZoneId zone = null;
        if (body.zone() == null || body.zone().isBlank()) {
            errors.add(new Problem.FieldError("zone", "is required (an IANA time zone such as Europe/London)"));
        } else {
            try {
                zone = ZoneId.of(body.zone());
            } catch (DateTimeException e) {
                errors.add(new Problem.FieldError("zone", "unknown time zone " + body.zone()));
            }
        }
        if (body.region() != null && !body.region().matches(NAME)) {
            errors.add(new Problem.FieldError("region", "letters, digits, '-' and '_', at most 63"));
        }
        Map<DayOfWeek, BusinessCalendar.WorkingDay> hours = new EnumMap<>(DayOfWeek.class);
        if (body.hours() == null || body.hours().isEmpty()) {
            errors.add(new Problem.FieldError("hours", "at least one weekday must have working hours"));
        } else {
            body.hours().forEach((day, h) -> {
                DayOfWeek d;
                try {
                    d = DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem.FieldError("hours." + day, "not a weekday (MONDAY … SUNDAY)"));
                    return;
                }
                if (h == null) {
                    errors.add(new Problem.FieldError(
                            "hours." + day, "open and close are required (leave a closed day out)"));
                    return;
                }
                try {
                    if (hours.put(d, BusinessCalendar.WorkingDay.parse(h.open(), h.close())) != null) {
                        errors.add(new Problem.FieldError("hours." + day, "weekday given twice"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem.FieldError("hours." + day, e.getMessage()));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw unprocessable("invalid-calendar", "Invalid calendar", errors);
        }
        boolean created = calendars.put(name, zone, body.region(), hours);
        CalendarView view = get(name);
        if (created) {
            URI location = uri.getBaseUriBuilder().path("calendars").path(name).build();
            return Response.created(location).entity(view).build();
        }
        return Response.ok(view).build();
    }

    /**
     * Holidays added to the calendar's region, from an iCalendar file (text/calendar or text/plain;
     * {@code until} bounds the expansion of recurrences) or from the UK government's bank holidays
     * JSON (application/json; {@code division} names the division to read). See docs/followup.md,
     * "Importing holidays". Any content type reaches the method, so that the caller's token is
     * checked first (401/403 before 415); any other type is then refused with 415.
     */
    @POST
    @Path("/{name}/holidays")
    @RolesAllowed(Roles.RULES_ADMIN)
    public Calendars.Imported importHolidays(
            @PathParam("name") String name,
            @HeaderParam("Content-Type") String type,
            @QueryParam("division") String division,
            @QueryParam("until") String until,
            String body) {
        MediaType media;
        try {
            media = type == null ? null : MediaType.valueOf(type);
        } catch (IllegalArgumentException e) {
            media = null;
        }
        boolean concrete = media != null && !media.isWildcardType() && !media.isWildcardSubtype();
        boolean ical = concrete
                && (media.isCompatible(MediaType.valueOf(TEXT_CALENDAR))
                        || media.isCompatible(MediaType.TEXT_PLAIN_TYPE));
        boolean json = concrete && media.isCompatible(MediaType.APPLICATION_JSON_TYPE);
        if (!ical && !json) {
            throw new ProblemException(Problem.of(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "holidays are imported from an iCalendar file (Content-Type text/calendar) or from the UK government's"
                            + " bank holidays JSON (Content-Type application/json)"));
        }
        calendars.stored(name);
        List<Calendars.NewHoliday> holidays;
        if (ical) {
            if (division != null) {
                throw ProblemException.invalidField("division", "applies to the bank holidays JSON only");
            }
            LocalDate last = null;
            if (until != null) {
                try {
                    last = LocalDate.parse(until);
                } catch (DateTimeException e) {
                    last = null;
                }
                if (last == null
                        || last.isBefore(ICalendarHolidays.EARLIEST)
                        || last.isAfter(ICalendarHolidays.LATEST)) {
                    throw ProblemException.invalidField(
                            "until",
                            "must be a date, YYYY-MM-DD, from " + ICalendarHolidays.EARLIEST + " to "
                                    + ICalendarHolidays.LATEST);
                }
            }
            try {
                holidays = ICalendarHolidays.parse(body == null ? "" : body, last).stream()
                        .map(h -> new Calendars.NewHoliday(h.day(), h.name()))
                        .toList();
            } catch (ICalendarHolidays.Malformed e) {
                throw unprocessable(
                        "invalid-icalendar",
                        "Invalid iCalendar file",
                        List.of(new Problem.FieldError("line " + e.line(), e.reason())));
            }
        } else {
            if (until != null) {
                throw ProblemException.invalidField("until", "applies to iCalendar recurrences only");
            }
            try {
                holidays = UkBankHolidays.parse(body, division);
            } catch (UkBankHolidays.Invalid e) {
                throw unprocessable(
                        "invalid-bank-holidays",
                        "Invalid bank holidays file",
                        List.of(new Problem.FieldError(e.field(), e.reason())));
            }
        }
        return calendars.importHolidays(name, holidays);
    }

    @DELETE
    @Path("/{name}/holidays/{date}")
    @RolesAllowed(Roles.RULES_ADMIN)
    public Response deleteHoliday(@PathParam("name") String name, @PathParam("date") String date) {
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeException e) {
            throw ProblemException.invalidField("date", "must be a date, YYYY-MM-DD");
        }
        calendars.deleteHoliday(name, day);
        return Response.noContent().build();
    }

    static ProblemException unprocessable(String slug, String title, List<Problem.FieldError> errors) {
        String detail = errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b)
                .orElse(title);
        Problem p = Problem.of(422, slug, title, detail);
        return new ProblemException(new Problem(p.type(), p.title(), 422, detail, null, errors, null));
    }
}
