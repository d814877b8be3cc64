package redress.support.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Per-client rate limits ({@link RateLimits}): a token bucket per caller. */
@ConfigMapping(prefix = "redress.rate-limit")
public interface RateLimitConfig {
    /** Requests a caller may make in a burst. */
    @WithDefault("200")
    long capacity();

    /** How many requests a caller regains each {@link #period()}. */
    @WithDefault("100")
    long refill();

    @WithDefault("1s")
    Duration period();
}
