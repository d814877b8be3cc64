package redress.support.db;

import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * HQL for a condition on a fixed set of values, written into the query as literals.
 *
 * <p>Hibernate does not keep the plan of a query with a collection bound to a parameter ({@code state
 * in ?2} with a list): such a query is translated from HQL to SQL again on every execution, and
 * before that Hibernate tries the list as a single value of the column's type, which throws (and
 * catches) an exception each time. A query run for every consumed event pays both; written with
 * literals it is planned once and its SQL is the same every time (docs/performance.md).
 */
public final class Hql {

    /** What may be written as a literal: the names of states, kinds and tokens, nothing to escape. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.-]+");

    private Hql() {}

    /** {@code field in ('A', 'B')}; the values must be plain names (letters, digits, {@code _ . -}). */
    public static String in(String field, Collection<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values for " + field);
        }
        for (String v : values) {
            if (!PLAIN.matcher(v).matches()) {
                throw new IllegalArgumentException("not a plain name to write as a literal: " + v);
            }
        }
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ", field + " in (", ")"));
    }
}
