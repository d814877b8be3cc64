package redress.intake.complaint;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "redress.intake")
public interface IntakeConfig {

    /** Regulatory profile names a case may carry; followup-service owns what each one means. */
    @WithDefault(redress.events.RegulatoryProfiles.NAMES)
    List<String> regulatoryProfiles();

    /** How long a submission's Idempotency-Key is remembered: the window in which a retry is recognised. */
    @WithDefault("7d")
    java.time.Duration idempotencyKeyRetention();

    /** How many of the customer's earlier complaints a case links to. */
    @WithDefault("20")
    int earlierComplaintsShown();
}
