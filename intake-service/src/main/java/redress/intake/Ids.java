package redress.intake;

import java.util.UUID;

import redress.support.problem.ProblemException;

/** Ids from paths and query strings: a malformed one is a 400 naming the parameter. */
public final class Ids {
    public static UUID parse(String value, String field) {
        try {
            if (value != null && value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw ProblemException.invalidField(field, "must be a UUID");
    }

    private Ids() {}
}
