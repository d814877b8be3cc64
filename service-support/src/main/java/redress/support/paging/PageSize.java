package redress.support.paging;

import redress.support.problem.ProblemException;

/** The {@code limit} parameter: a default, and a cap that is refused rather than silently applied. */
public final class PageSize {
    public static final int DEFAULT = 50;
    public static final int MAX = 200;

    /** From the raw query value, so that {@code limit=abc} is a 400 naming it, not a 404. */
    public static int of(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("limit", "must be a whole number between 1 and " + MAX);
        }
        if (limit < 1 || limit > MAX) {
            throw ProblemException.invalidField("limit", "must be between 1 and " + MAX);
        }
        return limit;
    }

    private PageSize() {}
}
