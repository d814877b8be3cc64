package redress.escalation.queue;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import redress.events.EscalationLevel;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

/**
 * Who may acknowledge or resolve an escalation of a given level: a {@code supervisor} any level; an
 * {@code agent} only escalations at or below the level its token names in the claim
 * {@value #CLAIM} ({@code AGENT}, {@code TEAM_LEAD}, {@code SUPERVISOR}, {@code MANAGER}). A token
 * without that claim, or with another value, counts as {@code AGENT}, which is below every
 * escalation. docs/security.md.
 */
@ApplicationScoped
public class LevelAccess {

    public static final String CLAIM = "level";

    private final SecurityIdentity identity;

    public LevelAccess(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** Refuses with 403 problem+json when the caller may not act on an escalation of {@code level}. */
    public void check(String escalationId, EscalationLevel level) {
        if (identity.hasRole(Roles.SUPERVISOR)) {
            return;
        }
        EscalationLevel caller = callerLevel().orElse(EscalationLevel.AGENT);
        if (caller.compareTo(level) < 0) {
            throw new ProblemException(Problem.of(
                    403,
                    "forbidden",
                    "Forbidden",
                    "escalation " + escalationId + " is at level "
                            + level + "; an agent at level " + caller + " may act on escalations up to " + caller
                            + " (the token's '" + CLAIM + "' claim)"));
        }
    }

    /** The level the caller's token names, if it names one this service knows. */
    Optional<EscalationLevel> callerLevel() {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        Object claim = jwt.getClaim(CLAIM);
        String value = claim == null ? null : claim.toString().trim().toUpperCase(Locale.ROOT);
        if (value != null && value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1); // a JSON string value
        }
        for (EscalationLevel l : EscalationLevel.values()) {
            if (l.name().equals(value)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
