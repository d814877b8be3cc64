package redress.support.problem;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import redress.support.consume.Retries;
import redress.support.json.RequestText;

/**
 * Turns every error into problem+json. Jackson's and Bean Validation's exceptions are mapped
 * explicitly: the framework's own mappers for them would win over a generic one and answer
 * without detail in production.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** The status nginx introduced for a request its client closed before the answer; no standard one says it. */
    static final int CLIENT_CLOSED_REQUEST = 499;
    /** What Quarkus's output stream says, in a plain IOException, when the connection has closed under it. */
    private static final String CONNECTION_CLOSED = "Connection has been closed";

    /** No token, or one that does not verify (expired, another key, another issuer or audience). */
    @ServerExceptionMapper({
        UnauthorizedException.class,
        AuthenticationFailedException.class,
        AuthenticationCompletionException.class
    })
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        Response r = respond(
                Problem.of(401, "unauthorized", "Unauthorized", "A valid bearer token is required (docs/security.md)"),
                uri);
        return Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without a role the endpoint allows. */
    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(
                Problem.of(
                        403,
                        "forbidden",
                        "Forbidden",
                        "The token is valid but holds none of the roles this endpoint allows (docs/security.md)"),
                uri);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.problem(), uri);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .collect(Collectors.toCollection(ArrayList::new));
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return respond(Problem.invalid(detail, errors), uri);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return respond(jsonProblem(e), uri);
    }

    /** Declared for the exact type: Quarkus has a built-in mapper for it that would otherwise win. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return respond(jsonProblem(e), uri);
    }

    @ServerExceptionMapper
    public Response unparsableJson(JsonParseException e, UriInfo uri) {
        return respond(jsonProblem(e), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return respond(jsonProblem(json), uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Problem p = switch (status) {
            case 400 -> Problem.invalid("The request body is not valid JSON for this endpoint", List.of());
            case 404 -> Problem.of(404, "not-found", "Not found", "No resource at this path");
            case 405 ->
                Problem.of(405, "method-not-allowed", "Method not allowed", "This path does not accept that method");
            case 406 -> Problem.of(406, "not-acceptable", "Not acceptable", "This resource answers application/json");
            case 413 -> Problem.of(413, "payload-too-large", "Payload too large", "The request body is too large");
            case 415 ->
                Problem.of(
                        415,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "Send the request body as application/json");
            default ->
                status >= 500
                        ? Problem.of(status, "server-error", "Server error", "The request could not be completed")
                        : Problem.of(
                                status,
                                "client-error",
                                Response.Status.fromStatusCode(status) == null
                                        ? "Client error"
                                        : Response.Status.fromStatusCode(status).getReasonPhrase(),
                                e.getMessage());
        };
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return respond(p, uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (clientGone(e)) {
            return abandoned(e, uri.getPath());
        }
        if (Retries.isTransient(e)) {
            // The database is away or busy, not the request at fault: worth trying again shortly.
            LOG.warnf("request on %s failed while the database is unavailable: %s", uri.getPath(), e.toString());
            Response r = respond(
                    Problem.of(
                            503,
                            "unavailable",
                            "Service unavailable",
                            "The service's database is unavailable for the moment; retry shortly"),
                    uri);
            return Response.fromResponse(r).header("Retry-After", 5).build();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, uri.getPath());
        return respond(
                Problem.of(
                        500,
                        "server-error",
                        "Server error",
                        "The request could not be completed; quote error id " + errorId),
                uri);
    }

    /**
     * Whether {@code e} says that the client went away (gave up waiting, reset its HTTP/2 stream,
     * closed its connection) while its request was read or answered: Vert.x's reset stream or closed
     * connection, a closed channel (Netty's own is one), or Quarkus's output stream finding the
     * connection closed, which it says only in a plain {@link IOException}'s message. Looked for along
     * the causes, since the request's streams wrap what they met in IOExceptions.
     */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamResetException
                    || t instanceof HttpClosedException
                    || t instanceof ClosedChannelException) {
                return true;
            }
            if (t instanceof IOException && CONNECTION_CLOSED.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The end of a request whose client went away: nothing failed on this side and nobody reads the
     * answer. One line at INFO, without a stack trace, names the path and what was met; the answer is
     * 499 (the status proxies log for a request its client closed), not a 500 that the server-error
     * alert on {@code http_server_requests_seconds_count{status=~"5.."}} would count.
     */
    static Response abandoned(Throwable e, String path) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        LOG.infof("client went away before %s was answered: %s", path, cause.toString());
        return Response.status(CLIENT_CLOSED_REQUEST).build();
    }

    static Problem jsonProblem(JsonProcessingException e) {
        JsonProcessingException syntax = syntaxError(e);
        if (syntax != null) {
            var at = syntax.getLocation();
            return Problem.invalid(
                    "The request body is not valid JSON"
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
                    List.of());
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = pathOf(m.getPath());
            String message;
            if (e instanceof RequestText.RefusedValue refused) {
                message = refused.getOriginalMessage();
            } else if (e instanceof UnrecognizedPropertyException) {
                message = "is not a known field";
            } else if (e instanceof InvalidFormatException f
                    && f.getTargetType() != null
                    && f.getTargetType().isEnum()) {
                message = "must be one of "
                        + Arrays.stream(f.getTargetType().getEnumConstants())
                                .map(Object::toString)
                                .collect(Collectors.joining(", "));
            } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                message = "must be " + describe(mi.getTargetType());
            } else {
                message = "has an invalid value";
            }
            return Problem.invalid(field + " " + message, List.of(new Problem.FieldError(field, message)));
        }
        return Problem.invalid("The request body is not valid JSON", List.of());
    }

    /** The JSON syntax error behind a mapping error (truncated or malformed text), if there is one. */
    private static JsonProcessingException syntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException p) {
                return p;
            }
        }
        return null;
    }

    private static String describe(Class<?> type) {
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "an RFC 3339 time such as 2026-11-23T10:15:30Z";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        if (type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    private static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * The field a violation is about, as the client named it: the method and parameter segments of
     * a resource-method path are dropped ({@code submit.request.customer.id} becomes
     * {@code customer.id}); a query or header parameter keeps its own name.
     */
    static String fieldOf(ConstraintViolation<?> v) {
        List<String> names = new ArrayList<>();
        boolean sawParameter = false;
        for (Path.Node n : v.getPropertyPath()) {
            if (n.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (n.getKind() == ElementKind.PARAMETER) {
                sawParameter = true;
                names.add(n.getName());
                continue;
            }
            String name = n.getName();
            if (name == null) {
                continue;
            }
            if (n.getIndex() != null) {
                name = name + "[" + n.getIndex() + "]";
            }
            names.add(name);
        }
        if (sawParameter && names.size() > 1) {
            names.remove(0);
        }
        return names.isEmpty() ? "body" : String.join(".", names);
    }

    private static Response respond(Problem p, UriInfo uri) {
        Problem withInstance = p.instance() == null && uri != null ? p.at(uri.getPath()) : p;
        return Response.status(p.status())
                .type(Problem.MEDIA_TYPE)
                .entity(withInstance)
                .build();
    }
}
