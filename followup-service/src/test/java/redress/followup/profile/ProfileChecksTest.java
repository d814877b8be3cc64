package redress.followup.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import redress.support.problem.Problem;

/** What a profile change is refused for, each naming its field. */
class ProfileChecksTest {

    static final Set<String> CALENDARS = Set.of("GB-EAW");

    static DeadlineSpec deadline(String kind, ClockSpec clock, List<Double> warnAt, String metBy) {
        return new DeadlineSpec(kind, clock, false, warnAt, true, metBy);
    }

    static final ClockSpec DAYS = new ClockSpec(ClockSpec.Type.BUSINESS_DAY_CLOSE, null, false, null, 1);

    static List<String> fields(ProfileDefinition d) {
        return ProfileChecks.problems(d, CALENDARS::contains).stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void aValidDefinitionHasNoProblems() {
        assertEquals(List.of(), fields(new ProfileDefinition("GB-EAW", List.of(deadline("ACK", DAYS, List.of(0.5, 0.8), "ACKNOWLEDGED")),
                new ProfileDefinition.FollowupSpec("PT16H", "PT40H"))));
        assertEquals(List.of(), fields(new ProfileDefinition("GB-EAW", List.of(deadline("ACK", DAYS, List.of(), "RESOLVED")), null)));
    }

    @Test
    void eachFaultNamesItsField() {
        assertEquals(List.of("calendar"), fields(new ProfileDefinition("MARS", List.of(deadline("A", DAYS, List.of(), "RESOLVED")), null)));
        assertEquals(List.of("deadlines"), fields(new ProfileDefinition("GB-EAW", List.of(), null)));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(0.0), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(1.0), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(0.8, 0.5), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(0.5, 0.5), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].metBy"), fields(def(deadline("A", DAYS, List.of(), "CLOSED"))));
        assertEquals(List.of("deadlines[1].kind"), fields(def(deadline("A", DAYS, List.of(), "RESOLVED"),
                deadline("A", DAYS, List.of(), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].kind"), fields(def(deadline("final response", DAYS, List.of(), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].clock"), fields(def(deadline("A", null, List.of(), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].clock"), fields(def(deadline("A",
                new ClockSpec(ClockSpec.Type.CALENDAR_PERIOD, "8 weeks", true, null, null), List.of(), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].clock"), fields(def(deadline("A",
                new ClockSpec(ClockSpec.Type.BUSINESS_HOURS, null, false, "PT0S", null), List.of(), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].clock"), fields(def(deadline("A",
                new ClockSpec(ClockSpec.Type.BUSINESS_DAY_CLOSE, null, false, null, -1), List.of(), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].clock"), fields(def(deadline("A",
                new ClockSpec(null, "P8W", true, null, null), List.of(), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].clock.period"), fields(def(deadline("A",
                new ClockSpec(ClockSpec.Type.CALENDAR_PERIOD, "P-8W", true, null, null), List.of(), "RESOLVED"))));
        assertEquals(List.of("followup.delay", "followup.window"), fields(new ProfileDefinition("GB-EAW",
                List.of(deadline("A", DAYS, List.of(), "RESOLVED")), new ProfileDefinition.FollowupSpec("2 days", null))));
    }

    static ProfileDefinition def(DeadlineSpec... specs) {
        return new ProfileDefinition("GB-EAW", List.of(specs), null);
    }
}
