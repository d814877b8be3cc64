package redress.support.security;

import java.util.OptionalLong;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import redress.support.identity.Callers;
import redress.support.problem.Problem;

/**
 * On endpoints marked {@link RateLimited}: a caller over its limit gets 429 problem+json with
 * {@code Retry-After}, and nothing is done.
 */
@Provider
@RateLimited
@Priority(Priorities.AUTHORIZATION + 1)
public class RateLimitFilter implements ContainerRequestFilter {

    private final RateLimits limits;
    private final Callers callers;

    public RateLimitFilter(RateLimits limits, Callers callers) {
        this.limits = limits;
        this.callers = callers;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        OptionalLong wait = limits.take(callers.subject());
        if (wait.isPresent()) {
            RateLimitConfig c = limits.config();
            Problem p = Problem.of(
                    429,
                    "rate-limited",
                    "Too many requests",
                    "This client sent more than "
                            + c.capacity() + " requests in a burst, or more than " + c.refill() + " per "
                            + c.period().toSeconds()
                            + " s; retry after " + wait.getAsLong() + " s");
            request.abortWith(Response.status(429)
                    .type("application/problem+json")
                    .header("Retry-After", wait.getAsLong())
                    .entity(p)
                    .build());
        }
    }
}
