package redress.followup.profile;

import java.time.Instant;

/** A profile version as the API shows it, with its calendar's zone. */
public record ProfileView(
        String name, int version, String savedBy, Instant savedAt, CalendarRef calendar, ProfileDefinition definition) {

    public record CalendarRef(String name, String zone) {}
}
