package redress.followup.profile;

/** One version of a profile: what a case received under it is held to. Immutable. */
public record ProfileVersion(String name, int version, ProfileDefinition definition) {}
