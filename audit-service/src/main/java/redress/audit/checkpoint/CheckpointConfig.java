package redress.audit.checkpoint;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** When checkpoints are made: every N entries (in the append that reaches N) or every T. */
@ConfigMapping(prefix = "redress.audit.checkpoint")
public interface CheckpointConfig {

    long everyEntries();

    /** Read by the timer's {@code @Scheduled} expression; mapped here so that a bad value stops the start. */
    Duration every();
}
