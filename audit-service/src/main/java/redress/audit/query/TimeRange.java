package redress.audit.query;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import redress.support.problem.ProblemException;

/** A {@code from}/{@code to} pair of RFC 3339 times from a query string; either end may be open. */
public record TimeRange(Instant from, Instant to) {

    public static TimeRange parse(String from, String to) {
        TimeRange r = new TimeRange(time(from, "from"), time(to, "to"));
        if (r.from != null && r.to != null && !r.to.isAfter(r.from)) {
            throw ProblemException.invalidField("to", "must be after from (" + from + ")");
        }
        return r;
    }

    /** Both ends required, at most {@code max} apart. */
    public static TimeRange bounded(String from, String to, Duration max) {
        if (from == null || from.isBlank()) {
            throw ProblemException.invalidField("from", "is required");
        }
        if (to == null || to.isBlank()) {
            throw ProblemException.invalidField("to", "is required");
        }
        TimeRange r = parse(from, to);
        if (Duration.between(r.from, r.to).compareTo(max) > 0) {
            throw ProblemException.invalidField("to", "the range may span at most " + max.toDays() + " days");
        }
        return r;
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    static Instant time(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time such as 2026-11-23T10:15:30Z");
        }
    }
}
