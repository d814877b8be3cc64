package redress.escalation.rule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "redress.escalation.rules")
public interface RulesConfig {
    /** How often a condition's macros (exists, all, map, filter) may iterate in one evaluation. */
    @WithDefault("1000")
    int maxIterations();
}
