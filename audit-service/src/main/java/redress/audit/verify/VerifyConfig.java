package redress.audit.verify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of verification (docs/audit.md, "Verification"). */
@ConfigMapping(prefix = "redress.verify")
public interface VerifyConfig {

    /**
     * {@code GET /audit/verify} answers at once up to this many entries; a larger range is refused
     * with a pointer to {@code POST /audit/verifications}, which reports progress instead.
     */
    @WithDefault("200000")
    long syncMaxEntries();

    /** Finished verifications kept for reading (the oldest is forgotten first). */
    @WithDefault("100")
    int keep();

    /** Verifications of different ranges that run at once; more wait their turn. */
    @WithDefault("2")
    int concurrent();
}
