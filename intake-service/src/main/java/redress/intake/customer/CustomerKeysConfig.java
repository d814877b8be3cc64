package redress.intake.customer;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Per-customer encryption and erasure (docs/security.md, "Personal data and erasure"). */
@ConfigMapping(prefix = "redress.customer-keys")
public interface CustomerKeysConfig {

    /**
     * The key-encryption key: 32 random bytes, base64. It wraps every customer's data key in the
     * database. Required: the service does not start without one.
     */
    String kek();

    /**
     * How long after a customer's cases are all CLOSED their name and contact are erased
     * automatically (ISO-8601 or Quarkus duration, e.g. {@code P1095D}). Absent: never (the default).
     */
    Optional<Duration> retentionAfterClosure();

    /** How often the retention rule is applied ({@code @Scheduled} syntax; {@code off} disables the timer). */
    @WithDefault("1h")
    String retentionCheckEvery();

    /**
     * How often cases stored in clear (by a replica older than per-customer encryption, during a
     * rolling update) are sealed, besides at start ({@code @Scheduled} syntax; {@code off} disables the timer).
     */
    @WithDefault("1m")
    String sealCheckEvery();
}
