package redress.intake.complaint;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import redress.events.RegulatoryProfiles;

@ConfigMapping(prefix = "redress.intake")
public interface IntakeConfig {

    /** Regulatory profile names a case may carry; followup-service owns what each one means. */
    @WithDefault(RegulatoryProfiles.NAMES)
    List<String> regulatoryProfiles();

    /** How long a submission's Idempotency-Key is remembered: the window in which a retry is recognised. */
    @WithDefault("7d")
    Duration idempotencyKeyRetention();

    /** How many of the customer's earlier complaints a case links to. */
    @WithDefault("20")
    int earlierComplaintsShown();

    /** Bounds on a submitted {@code receivedAt} (the firm's receipt). */
    ReceivedAt receivedAt();

    interface ReceivedAt {
        /** How far ahead of this service's clock a receipt may be (the submitter's clock may run ahead). */
        @WithDefault("PT5M")
        Duration maxSkew();

        /** How long ago a receipt may be: older is refused as a probable typing error. */
        @WithDefault("P365D")
        Duration maxAge();
    }
}
