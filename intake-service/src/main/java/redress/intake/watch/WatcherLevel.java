package redress.intake.watch;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import redress.events.EscalationLevel;
import redress.support.security.Roles;

/**
 * The highest level the caller may act at, as escalation-service's queue decides it (docs/security.md):
 * a {@code supervisor} any level (MANAGER); an {@code agent} the level its token names in the claim
 * {@value #CLAIM}; a token without that claim, or with another value, counts as AGENT.
 */
@ApplicationScoped
public class WatcherLevel {

    public static final String CLAIM = "level";

    private final SecurityIdentity identity;

    public WatcherLevel(SecurityIdentity identity) {
        this.identity = identity;
    }

    public EscalationLevel caller() {
        if (identity.hasRole(Roles.SUPERVISOR)) {
            return EscalationLevel.MANAGER;
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return EscalationLevel.AGENT;
        }
        Object claim = jwt.getClaim(CLAIM);
        String value = claim == null ? null : claim.toString().trim().toUpperCase(Locale.ROOT);
        if (value != null && value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1); // a JSON string value
        }
        for (EscalationLevel l : EscalationLevel.values()) {
            if (l.name().equals(value)) {
                return l;
            }
        }
        return EscalationLevel.AGENT;
    }

    /** Whether the caller is a supervisor (who may act at every level). */
    public boolean supervisor() {
        return identity.hasRole(Roles.SUPERVISOR);
    }
}
