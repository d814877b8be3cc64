package redress.support.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

import redress.support.json.RequestText;
import redress.support.problem.ProblemException;

/** Query parameters parsed by hand, so that a bad value is a 400 naming it (JAX-RS would answer 404). */
public final class QueryParams {

    public static <E extends Enum<E>> E enumValue(Class<E> type, String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(
                    field,
                    "must be one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(Enum::name)
                                    .collect(Collectors.joining(", ")));
        }
    }

    /** A UUID, or null when absent or blank; 400 naming the field otherwise. */
    public static UUID uuid(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(raw.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(field, "is not a UUID");
        }
    }

    public static String text(String raw, String field, int maxLength) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > maxLength) {
            throw ProblemException.invalidField(field, "must be at most " + maxLength + " characters");
        }
        // Query columns are text, which cannot hold a NUL: refuse control characters here, not with a 500.
        if (RequestText.firstControlCharacter(raw) >= 0) {
            throw ProblemException.invalidField(field, "must not contain control characters");
        }
        return raw.trim();
    }

    /** {@code true} or {@code false} (any case), or null when absent or blank; 400 naming the field otherwise. */
    public static Boolean bool(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ProblemException.invalidField(field, "must be true or false");
        };
    }

    private QueryParams() {}

    /** A whole number of at least {@code min}; 400 naming the field with {@code meaning} otherwise. */
    public static long number(String raw, String field, long min, String meaning) {
        try {
            long v = Long.parseLong(raw.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalidField(field, meaning);
    }
}
