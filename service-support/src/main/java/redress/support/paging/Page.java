package redress.support.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a keyset-paginated list.
 *
 * @param next the cursor to pass as {@code after} for the next page, or null on the last page
 */
public record Page<T>(List<T> items, String next, int limit) {

    /**
     * A page from rows fetched with {@code LIMIT limit + 1}: the extra row, when there is one, only
     * says that another page follows, whose cursor is the key of the page's last row.
     *
     * @param filters what the cursor is tied to (a cursor replayed with other filters is refused)
     * @param key     the keyset key of a row, as the cursor's parts
     */
    public static <T> Page<T> keyset(List<T> rows, int limit, String filters, Function<T, String[]> key) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null, limit);
        }
        return new Page<>(
                List.copyOf(rows.subList(0, limit)), Cursor.encode(filters, key.apply(rows.get(limit - 1))), limit);
    }
}
