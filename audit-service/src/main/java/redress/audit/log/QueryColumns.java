package redress.audit.log;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * The query columns of an entry are copies of values in its canonical bytes, made so that they
 * cannot fail: PostgreSQL's text cannot hold U+0000, which JSON strings may carry, so each one is
 * replaced by U+FFFD ({@link redress.support.db.DbText}, as every service does); a time outside timestamptz's range has no copy. The canonical bytes keep the
 * truth; the verifier compares the columns with these same derivations.
 */
public final class QueryColumns {

    /** timestamptz runs from 4713 BC to 294276 AD. */
    private static final Instant FIRST = Instant.parse("-4712-01-01T00:00:00Z");

    private static final Instant LAST = Instant.parse("+294276-01-01T00:00:00Z");

    private QueryColumns() {}

    public static Timestamp time(Instant value) {
        return value.isBefore(FIRST) || value.isAfter(LAST) ? null : Timestamp.from(value);
    }
}
