package redress.audit.verify;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.smallrye.common.annotation.Blocking;
import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * {@code POST /audit/verifications} starts verifying a range in the background (or joins the run
 * already verifying it) and answers 202 with its Location; {@code GET /audit/verifications/{id}}
 * shows its progress and, when it is done, its report.
 */
@Path("/audit/verifications")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class VerificationsResource {

    private final Verifications verifications;
    private final AccessRecorder access;

    public VerificationsResource(Verifications verifications, AccessRecorder access) {
        this.verifications = verifications;
        this.access = access;
    }

    @RolesAllowed(Roles.AUDITOR)
    @POST
    public Response start(
            @QueryParam("fromSeq") String fromSeq, @QueryParam("toSeq") String toSeq, @Context UriInfo uri)
            throws SQLException {
        Long from = VerifyResource.seq(fromSeq, "fromSeq");
        Long to = VerifyResource.seq(toSeq, "toSeq");
        VerifyResource.checkRange(from, to);
        Verifications.View v = verifications.start(from, to);
        // Recorded when started (or joined); its progress, polled below, is not a read of its own.
        access.record(AuditorRead.of("verification", "fromSeq", fromSeq, "toSeq", toSeq, "verificationId", v.id()));
        return Response.accepted(v)
                .location(uri.getBaseUriBuilder()
                        .path("audit/verifications")
                        .path(v.id())
                        .build())
                .build();
    }

    @RolesAllowed(Roles.AUDITOR)
    @GET
    @Path("/{id}")
    public Verifications.View get(@PathParam("id") String id) {
        Verifications.View v = verifications.get(id);
        if (v == null) {
            throw ProblemException.notFound("Verification", id);
        }
        return v;
    }
}
