package redress.support.identity;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import redress.events.Actor;
import redress.events.ActorType;

/**
 * The one place a service learns who is acting. The actor type follows from the endpoint (a
 * submission is an integration, case work is an agent, consumers and timers are the system); the
 * id will come from the caller's token once authentication is on. Until then each type has a
 * clearly named local default from configuration. Never from a request body.
 */
@ApplicationScoped
public class Callers {

    @ConfigMapping(prefix = "redress.identity")
    public interface IdentityConfig {
        /** The service's own name, used as the id of system actions. */
        @WithDefault("${quarkus.application.name}")
        String service();

        @WithDefault("local-integration")
        String localIntegration();

        @WithDefault("local-agent")
        String localAgent();
    }

    private final IdentityConfig config;

    public Callers(IdentityConfig config) {
        this.config = config;
    }

    /** The system submitting complaints (its submissions and idempotency keys are its own). */
    public Actor integration() {
        return new Actor(ActorType.INTEGRATION, config.localIntegration());
    }

    public Actor agent() {
        return new Actor(ActorType.AGENT, config.localAgent());
    }

    public Actor system() {
        return new Actor(ActorType.SYSTEM, config.service());
    }

    /** The CloudEvents {@code source} of this service's events: {@code /intake-service}. */
    public String source() {
        return "/" + config.service();
    }
}
