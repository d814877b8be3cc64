package redress.support.security;

import java.time.Clock;
import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers, for a short while, the bearer tokens that passed verification, so that a system which
 * sends the same token with every request (as a client of a token endpoint does until it expires)
 * has its token's signature checked once a minute rather than on every request (a JWT's RSA
 * verification and parsing were 7% of intake-service's CPU under load; docs/performance.md).
 *
 * <p>Only what the full verification accepted is remembered, under the token's exact text (header,
 * claims and signature): a token that differs in any character, a forged signature included, is
 * verified in full. A remembered token is used only while it has not expired (its {@code exp}, with
 * no clock skew allowed, stricter than the verification's), and for at most {@code
 * redress.security.verified-tokens.ttl} after it was verified, which bounds how long a token keeps
 * passing after its signing key was withdrawn from the configuration. Tokens longer than 8 KiB
 * and failures are never remembered. {@code ttl=0s} turns it off.
 *
 * <p>Abstract: the parser's other methods (verification with a given key, decryption) are not
 * decorated and reach it unchanged.
 */
@Decorator
@Priority(10)
public abstract class VerifiedTokens implements JWTParser {

    /** Longest token remembered: it is the key, so this bounds the memory held with the entry count. */
    static final int MAX_TOKEN_CHARS = 8192;

    private final JWTParser delegate;
    private final Remembered remembered;

    @Inject
    public VerifiedTokens(
            @Delegate JWTParser delegate,
            @ConfigProperty(name = "redress.security.verified-tokens.ttl", defaultValue = "60s") Duration ttl,
            @ConfigProperty(name = "redress.security.verified-tokens.max-entries", defaultValue = "10000")
                    long maxEntries) {
        this.delegate = delegate;
        this.remembered = new Remembered(ttl, maxEntries, Clock.systemUTC());
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return remembered.verify(token, delegate::parse);
    }

    /** The full verification of a token, as the configured parser does it. */
    @FunctionalInterface
    interface Verification {
        JsonWebToken verify(String token) throws ParseException;
    }

    /** The remembered verifications: bounded, expiring, and blind to anything but the exact token. */
    static final class Remembered {

        /** Null when turned off ({@code ttl} not positive, or no entries): every token verified in full. */
        private final Cache<String, JsonWebToken> tokens;

        private final Clock clock;

        Remembered(Duration ttl, long maxEntries, Clock clock) {
            this.clock = clock;
            this.tokens = ttl.isZero() || ttl.isNegative() || maxEntries <= 0
                    ? null
                    : Caffeine.newBuilder()
                            .maximumSize(maxEntries)
                            .expireAfterWrite(ttl)
                            .ticker(() -> clock.millis() * 1_000_000L)
                            .build();
        }

        JsonWebToken verify(String token, Verification full) throws ParseException {
            if (tokens == null || token == null || token.length() > MAX_TOKEN_CHARS) {
                return full.verify(token);
            }
            JsonWebToken known = tokens.getIfPresent(token);
            if (known != null && unexpired(known)) {
                return known;
            }
            JsonWebToken verified = full.verify(token);
            if (unexpired(verified)) {
                tokens.put(token, verified);
            }
            return verified;
        }

        /** Whether the token's exp is still ahead; a token without one is not remembered. */
        private boolean unexpired(JsonWebToken jwt) {
            long exp = jwt.getExpirationTime();
            return exp > 0 && clock.millis() / 1000 < exp;
        }
    }
}
