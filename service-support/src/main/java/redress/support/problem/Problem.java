package redress.support.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code errors} names the offending fields of a request, when there
 * are any; no class names or stack traces ever appear in it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        String currentStatus) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "urn:redress:problem:";

    public record FieldError(String field, String message) {}

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, List.of(), null);
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(TYPE_BASE + "invalid-request", "Invalid request", 400, detail, null, errors, null);
    }

    public Problem at(String instance) {
        return new Problem(type, title, status, detail, instance, errors, currentStatus);
    }

    public Problem withCurrentStatus(String current) {
        return new Problem(type, title, status, detail, instance, errors, current);
    }
}
