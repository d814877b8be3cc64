package redress.support.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.ParseException;

/** A verified token is remembered under its exact text, never past its exp nor the ttl, and no failure is. */
class VerifiedTokensTest {

    static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The full verification: accepts the tokens it is told, counts its calls. */
    static final class Verifier implements VerifiedTokens.Verification {
        final Map<String, Long> valid;
        final List<String> calls = new ArrayList<>();

        Verifier(Map<String, Long> validWithExp) {
            this.valid = validWithExp;
        }

        @Override
        public JsonWebToken verify(String token) throws ParseException {
            calls.add(token);
            Long exp = valid.get(token);
            if (exp == null) {
                throw new ParseException("signature does not verify");
            }
            return jwt(exp);
        }
    }

    final Moving clock = new Moving();

    VerifiedTokens.Remembered remembered(Duration ttl) {
        return new VerifiedTokens.Remembered(ttl, 100, clock);
    }

    @Test
    void aTokenSentAgainIsNotVerifiedAgain() throws Exception {
        Verifier full = new Verifier(Map.of("a.b.c", T0.getEpochSecond() + 3600));
        VerifiedTokens.Remembered tokens = remembered(Duration.ofSeconds(60));

        JsonWebToken first = tokens.verify("a.b.c", full);
        assertSame(first, tokens.verify("a.b.c", full));
        assertEquals(1, full.calls.size());
    }

    @Test
    void aTokenDifferingInItsSignatureIsVerifiedInFullAndRefused() throws Exception {
        Verifier full = new Verifier(Map.of("a.b.c", T0.getEpochSecond() + 3600));
        VerifiedTokens.Remembered tokens = remembered(Duration.ofSeconds(60));
        tokens.verify("a.b.c", full);

        assertThrows(ParseException.class, () -> tokens.verify("a.b.forged", full));
        assertEquals(List.of("a.b.c", "a.b.forged"), full.calls);
    }

    @Test
    void aRememberedTokenIsVerifiedAgainOnceItHasExpired() throws Exception {
        Verifier full = new Verifier(Map.of("a.b.c", T0.getEpochSecond() + 30));
        VerifiedTokens.Remembered tokens = remembered(Duration.ofSeconds(60));
        tokens.verify("a.b.c", full);

        clock.now = T0.plusSeconds(30);
        tokens.verify("a.b.c", full);
        assertEquals(2, full.calls.size(), "at its exp the token goes to the full verification again");
    }

    @Test
    void aRememberedTokenIsVerifiedAgainAfterTheTtl() throws Exception {
        Verifier full = new Verifier(Map.of("a.b.c", T0.getEpochSecond() + 3600));
        VerifiedTokens.Remembered tokens = remembered(Duration.ofSeconds(60));
        tokens.verify("a.b.c", full);

        clock.now = T0.plusSeconds(59);
        tokens.verify("a.b.c", full);
        assertEquals(1, full.calls.size());
        clock.now = T0.plusSeconds(61);
        tokens.verify("a.b.c", full);
        assertEquals(2, full.calls.size());
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        Verifier full = new Verifier(Map.of());
        VerifiedTokens.Remembered tokens = remembered(Duration.ofSeconds(60));

        assertThrows(ParseException.class, () -> tokens.verify("x.y.z", full));
        assertThrows(ParseException.class, () -> tokens.verify("x.y.z", full));
        assertEquals(2, full.calls.size());
    }

    @Test
    void aLongTokenAndATtlOfZeroAreVerifiedEveryTime() throws Exception {
        String tall = "a." + "b".repeat(VerifiedTokens.MAX_TOKEN_CHARS) + ".c";
        Verifier full = new Verifier(Map.of(tall, T0.getEpochSecond() + 3600, "a.b.c", T0.getEpochSecond() + 3600));
        VerifiedTokens.Remembered tokens = remembered(Duration.ofSeconds(60));
        tokens.verify(tall, full);
        tokens.verify(tall, full);
        assertEquals(2, full.calls.size());

        VerifiedTokens.Remembered off = remembered(Duration.ZERO);
        off.verify("a.b.c", full);
        off.verify("a.b.c", full);
        assertEquals(4, full.calls.size());
    }

    static JsonWebToken jwt(long exp) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "bench";
            }

            @Override
            public Set<String> getClaimNames() {
                return Set.of("exp");
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return "exp".equals(claimName) ? (T) Long.valueOf(exp) : null;
            }
        };
    }
}
