package redress.support.identity;

import java.security.Principal;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import redress.events.Actor;
import redress.events.ActorType;
import redress.support.security.Roles;

/**
 * The one place a service learns who is acting: the caller's verified token. The actor's id is
 * the token's subject, never a field of a request; its type follows from the role the endpoint
 * was called in (a submission is an integration, case work an agent), and consumers and timers
 * act as the system.
 */
@ApplicationScoped
public class Callers {

    @ConfigMapping(prefix = "redress.identity")
    public interface IdentityConfig {
        /** The service's own name, used as the id of system actions. */
        @WithDefault("${quarkus.application.name}")
        String service();
    }

    private final IdentityConfig config;
    private final SecurityIdentity identity;

    public Callers(IdentityConfig config, SecurityIdentity identity) {
        this.config = config;
        this.identity = identity;
    }

    /** The system submitting complaints (its submissions and idempotency keys are its own). */
    public Actor integration() {
        return new Actor(ActorType.INTEGRATION, subject());
    }

    /** A person working cases: an agent or a supervisor. */
    public Actor agent() {
        return new Actor(ActorType.AGENT, subject());
    }

    public Actor system() {
        return new Actor(ActorType.SYSTEM, config.service());
    }

    /** The CloudEvents {@code source} of this service's events: {@code /intake-service}. */
    public String source() {
        return "/" + config.service();
    }

    /** The authenticated caller's id: the token's {@code sub}. */
    public String subject() {
        if (identity == null || identity.isAnonymous()) {
            throw new IllegalStateException("no authenticated caller"); // endpoints are denied by default
        }
        Principal p = identity.getPrincipal();
        if (p instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return p.getName();
    }

    /**
     * For object-level checks: the submitter whose complaints alone this caller may see, or empty
     * when the caller works cases (agent or supervisor) and may see all.
     */
    public Optional<String> onlyOwnSubmissions() {
        if (identity.hasRole(Roles.AGENT) || identity.hasRole(Roles.SUPERVISOR)) {
            return Optional.empty();
        }
        return Optional.of(subject());
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }
}
