package redress.support.security;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Per-client rate limits (OWASP API4): a token bucket per caller (the token's subject). Buckets
 * live in this process (a replica each); idle ones are forgotten.
 */
@ApplicationScoped
public class RateLimits {

    private final RateLimitConfig config;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    public RateLimits(RateLimitConfig config) {
        this.config = config;
    }

    /** Takes one request from the caller's bucket: empty when allowed, else the seconds to wait. */
    public OptionalLong take(String caller) {
        Bucket bucket = buckets.get(
                caller,
                k -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(config.capacity())
                                .refillGreedy(config.refill(), config.period())
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(
                Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L)));
    }

    public RateLimitConfig config() {
        return config;
    }
}
