package redress.support.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import redress.support.problem.Problem;
import redress.support.problem.ProblemException;

/** Keyset cursors (PITFALLS §8): opaque, tied to their filters, a 400 naming {@code after} otherwise. */
class CursorTest {

    static final String FILTERS = "OPEN|HIGH|null|null|C-1";
    static final String TIME = "2026-11-23T10:15:30.123456Z";
    static final String ID = "3f1c2a9e-8d7b-4c6a-9e1f-0a2b3c4d5e6f";

    static Problem refused(String cursor, String filters, int keyParts) {
        return assertThrows(ProblemException.class, () -> Cursor.decode(cursor, filters, keyParts))
                .problem();
    }

    static void assertNamesAfter(Problem p) {
        assertEquals(400, p.status());
        assertEquals(
                List.of(Cursor.PARAM),
                p.errors().stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void aCursorGivesBackTheKeyItWasMadeWith() {
        String cursor = Cursor.encode(FILTERS, TIME, ID);
        assertEquals(List.of(TIME, ID), Cursor.decode(cursor, FILTERS, 2));
    }

    @Test
    void keysWithAnyCharacterRoundTrip() {
        List<String> key = List.of("", "a|b", "ünïcödé €", "emoji \uD83D\uDE00", "x/y+z=");
        String cursor = Cursor.encode(FILTERS, key.toArray(String[]::new));
        assertEquals(key, Cursor.decode(cursor, FILTERS, key.size()));
    }

    @Test
    void aCursorIsOpaqueAndSafeInAQueryString() {
        String cursor = Cursor.encode(FILTERS, TIME, ID);
        assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
        assertTrue(
                !cursor.contains(ID) && !cursor.contains("OPEN"),
                "the key and filters are not shown as such: " + cursor);
    }

    @Test
    void theSameKeyAndFiltersMakeTheSameCursor() {
        assertEquals(Cursor.encode(FILTERS, TIME, ID), Cursor.encode(FILTERS, TIME, ID));
    }

    @Test
    void aCursorIsTiedToItsFilters() {
        String cursor = Cursor.encode(FILTERS, TIME, ID);
        for (String other : new String[] {"OPEN|HIGH|null|null|C-2", "OPEN|LOW|null|null|C-1", "", FILTERS + " "}) {
            Problem p = refused(cursor, other, 2);
            assertNamesAfter(p);
            assertTrue(p.detail().contains("other filters"), p.detail());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!", "not a cursor", "%%", "abc=", "a"})
    void garbageIsRefusedNamingAfter(String cursor) {
        assertNamesAfter(refused(cursor, FILTERS, 2));
    }

    @Test
    void aForeignOrTamperedCursorIsRefused() {
        String cursor = Cursor.encode(FILTERS, TIME, ID);
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = raw.split("\u001f", -1);
        // Another version, another filter digest, a part more, a part less, another separator.
        String[] forged = {
            "2" + raw.substring(1),
            parts[0] + "\u001f" + "0000000000000000" + raw.substring(parts[0].length() + 1 + parts[1].length()),
            raw + "\u001fextra",
            parts[0] + "\u001f" + parts[1] + "\u001f" + TIME,
            raw.replace('\u001f', '|'),
        };
        for (String f : forged) {
            String tampered =
                    Base64.getUrlEncoder().withoutPadding().encodeToString(f.getBytes(StandardCharsets.UTF_8));
            assertNamesAfter(refused(tampered, FILTERS, 2));
        }
        // A cursor made for a listing with another key shape.
        assertNamesAfter(refused(Cursor.encode(FILTERS, TIME), FILTERS, 2));
        assertNamesAfter(refused(Cursor.encode(FILTERS, "1", TIME, ID), FILTERS, 2));
        // Flipping a character of the encoded text.
        char[] chars = cursor.toCharArray();
        chars[3] = chars[3] == 'A' ? 'B' : 'A';
        assertNamesAfter(refused(new String(chars), FILTERS, 2));
    }
}
