package redress.audit.stream;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of {@code GET /streams/cases} (docs/audit.md, "The live case stream"). */
@ConfigMapping(prefix = "redress.stream")
public interface StreamConfig {

    /** Open streams this replica serves; one more is refused with 503 and Retry-After. */
    @WithDefault("200")
    int maxClients();

    /** Seconds a refused client is told to wait (Retry-After). */
    @WithDefault("10s")
    Duration retryAfter();

    /** Events waiting to be written to one client; a client that lets more pile up is dropped. */
    @WithDefault("1000")
    int buffer();

    /** A resume, or a replaying client, further behind the head than this many entries is dropped. */
    @WithDefault("10000")
    long maxLag();

    /** Log entries read per query, by the follower and by a replay. */
    @WithDefault("500")
    int pageSize();

    /** A comment line after this long without sending anything. */
    @WithDefault("15s")
    Duration heartbeat();

    /** How often the follower looks at the log when no NOTIFY woke it (a lost connection, an old writer). */
    @WithDefault("1s")
    Duration fallbackPoll();
}
