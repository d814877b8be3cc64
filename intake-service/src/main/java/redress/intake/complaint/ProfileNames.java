package redress.intake.complaint;

import jakarta.enterprise.context.ApplicationScoped;

import redress.support.problem.ProblemException;

/** The regulatory profile names a case may carry ({@code redress.intake.regulatory-profiles}). */
@ApplicationScoped
public class ProfileNames {

    private final IntakeConfig config;

    public ProfileNames(IntakeConfig config) {
        this.config = config;
    }

    /** The name, trimmed, when it is accepted; 422 {@code unknown-regulatory-profile} otherwise. */
    public String require(String name) {
        String profile = name.trim();
        if (!config.regulatoryProfiles().contains(profile)) {
            throw ProblemException.unprocessable(
                    "unknown-regulatory-profile",
                    "regulatoryProfile " + profile + " is not one of "
                            + String.join(", ", config.regulatoryProfiles()));
        }
        return profile;
    }
}
