package redress.followup.profile;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import redress.followup.calendar.Calendars;
import redress.support.identity.Callers;
import redress.support.security.Roles;

/** Regulatory and service-level profiles: everyone authenticated reads them, rules-admin changes them; every change a new version. */
@Path("/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProfileResource {

    private final Profiles profiles;
    private final Calendars calendars;
    private final Callers callers;

    public ProfileResource(Profiles profiles, Calendars calendars, Callers callers) {
        this.profiles = profiles;
        this.calendars = calendars;
        this.callers = callers;
    }

    @GET
    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public Map<String, List<ProfileView>> list() {
        return Map.of("items", profiles.all().stream().map(this::view).toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public ProfileView get(@PathParam("name") String name) {
        return view(profiles.currentSaved(name));
    }

    @GET
    @Path("/{name}/versions")
    @RolesAllowed({Roles.SUBMITTER, Roles.AGENT, Roles.SUPERVISOR, Roles.RULES_ADMIN, Roles.AUDITOR, Roles.OPERATOR})
    public Map<String, List<ProfileView>> versions(@PathParam("name") String name) {
        return Map.of("items", profiles.versions(name).stream().map(this::view).toList());
    }

    /** A new version of the profile (its first, for a new name: 201 with Location). */
    @PUT
    @Path("/{name}")
    @RolesAllowed(Roles.RULES_ADMIN)
    public Response put(@PathParam("name") String name, @NotNull ProfileDefinition body, @Context UriInfo uri) {
        ProfileView v = view(profiles.save(name, body, callers.subject()));
        if (v.version() == 1) {
            URI location = uri.getBaseUriBuilder().path("profiles").path(name).build();
            return Response.created(location).entity(v).build();
        }
        return Response.ok(v).build();
    }

    private ProfileView view(Profiles.Saved s) {
        String calendar = s.profile().definition().calendar();
        String zone = calendars.find(calendar).map(c -> c.zone().getId()).orElse(null);
        return new ProfileView(
                s.profile().name(),
                s.profile().version(),
                s.savedBy(),
                s.savedAt(),
                new ProfileView.CalendarRef(calendar, zone),
                s.profile().definition());
    }
}
