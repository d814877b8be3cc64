package redress.support.paging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import redress.support.problem.ProblemException;

/**
 * Opaque keyset cursors. A cursor carries the sort key of the last row of a page and a digest of
 * the filters it was made for; one that does not decode, or is replayed with other filters, is a
 * 400 naming the {@code after} parameter.
 */
public final class Cursor {

    public static final String PARAM = "after";
    private static final String VERSION = "1";
    private static final String SEP = "\u001f";

    private Cursor() {}

    /** @param filters a stable rendering of the request's filters */
    public static String encode(String filters, String... key) {
        List<String> parts = new ArrayList<>();
        parts.add(VERSION);
        parts.add(digest(filters));
        parts.addAll(Arrays.asList(key));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join(SEP, parts).getBytes(StandardCharsets.UTF_8));
    }

    /** The key parts of a cursor made for these filters. */
    public static List<String> decode(String cursor, String filters, int keyParts) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(PARAM, "is not a cursor this service issued");
        }
        String[] parts = raw.split(SEP, -1);
        if (parts.length != keyParts + 2 || !VERSION.equals(parts[0])) {
            throw ProblemException.invalidField(PARAM, "is not a cursor this service issued");
        }
        if (!digest(filters).equals(parts[1])) {
            throw ProblemException.invalidField(PARAM, "was issued for other filters; start again without it");
        }
        return List.of(parts).subList(2, parts.length);
    }

    private static String digest(String filters) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(filters.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cursor of a list ordered by one sequence number. */
    public static String encodeSeq(String filters, long seq) {
        return encode(filters, String.valueOf(seq));
    }

    /** The sequence number after which the next page starts: 0 without a cursor. */
    public static long decodeSeq(String cursor, String filters) {
        if (cursor == null) {
            return 0;
        }
        try {
            return Long.parseLong(decode(cursor, filters, 1).get(0));
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(PARAM, "is not a cursor this service issued");
        }
    }
}
