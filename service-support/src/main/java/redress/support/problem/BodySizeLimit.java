package redress.support.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses bodies over the API's limit with a 413 problem+json before anything is parsed. Vert.x's
 * own {@code quarkus.http.limits.max-body-size} stays as an outer ceiling (it answers an empty 413).
 */
public class BodySizeLimit {

    private final long maxBytes;

    public BodySizeLimit(HttpLimits limits) {
        this.maxBytes = limits.maxBodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (bytes <= maxBytes) {
            return null;
        }
        Problem p = Problem.of(
                        413,
                        "payload-too-large",
                        "Payload too large",
                        "The request body has " + bytes + " bytes; the limit is " + maxBytes)
                .at(request.getUriInfo().getPath());
        return Response.status(413).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
