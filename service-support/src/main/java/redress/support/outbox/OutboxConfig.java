package redress.support.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "redress.outbox")
public interface OutboxConfig {

    /** Whether this process runs a relay at all (one replica wins the lock; the others stand by). */
    @WithDefault("true")
    boolean relayEnabled();

    /** How often the relay looks for rows when no commit notification woke it. */
    @WithDefault("1s")
    Duration pollInterval();

    @WithDefault("500")
    int batchSize();

    /**
     * How long the relay waits after a commit's notification before it reads the outbox, so that
     * the rows of the commits made meanwhile go out in the same batch (one read, one update, and
     * one wake-up for all of them instead of one each). Zero reads at once.
     */
    @WithDefault("10ms")
    Duration linger();

    /** The longest wait between retries while Kafka refuses records. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** How long sent rows are kept (for inspection) before cleanup deletes them. */
    @WithDefault("1h")
    Duration sentRetention();

    /** Producer: how long a send may wait for the broker before it counts as failed. */
    @WithDefault("15s")
    Duration deliveryTimeout();

    /**
     * The relay's own database connection: how long a connect or a statement may go unanswered
     * before the relay gives up its role and reconnects. Must exceed the poll interval.
     */
    @WithDefault("20s")
    Duration leaderTimeout();
}
