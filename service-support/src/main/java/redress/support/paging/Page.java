package redress.support.paging;

import java.util.List;

/**
 * One page of a keyset-paginated list.
 *
 * @param next the cursor to pass as {@code after} for the next page, or null on the last page
 */
public record Page<T>(List<T> items, String next, int limit) {
}
