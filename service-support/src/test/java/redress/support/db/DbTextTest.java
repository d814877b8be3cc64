package redress.support.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class DbTextTest {

    @Test
    void nulBecomesTheReplacementCharacterAndNothingElseChanges() {
        assertEquals("bill\uFFFDing\uFFFD", DbText.of("bill\u0000ing\u0000"));
        String clean = "billing – £5 🙂";
        assertSame(clean, DbText.of(clean));
        assertNull(DbText.of(null));
    }
}
