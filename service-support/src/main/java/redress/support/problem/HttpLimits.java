package redress.support.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The API's own limits on requests (the framework's outer ceilings stay as they are). */
@ConfigMapping(prefix = "redress.http")
public interface HttpLimits {

    /** The largest request body accepted; larger ones answer 413 problem+json before parsing. */
    @WithDefault("65536")
    long maxBodyBytes();
}
