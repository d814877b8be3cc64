package redress.support.db;

/**
 * Text as a PostgreSQL {@code text} column can hold it. PostgreSQL refuses U+0000 there ("invalid
 * byte sequence for encoding UTF8: 0x00"), and another producer's well-formed envelope may carry
 * it in any string (PITFALLS 20): copies of such strings into columns (projections, histories,
 * briefings) take U+FFFD instead, so the record is applied rather than dead-lettered. Where an
 * event is kept whole, its bytes are kept as they came ({@code bytea}).
 */
public final class DbText {

    private DbText() {}

    /** {@code s} with each U+0000 replaced by U+FFFD; null stays null. */
    public static String of(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }
}
