package redress.followup.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import redress.support.problem.Problem;

/** What a profile change is refused for, each naming its field. */
class ProfileChecksTest {

    static final Set<String> CALENDARS = Set.of("GB-EAW");

    static DeadlineSpec deadline(String kind, ClockSpec clock, List<Double> warnAt, String metBy) {
        return new DeadlineSpec(kind, clock, false, warnAt, true, metBy);
    }

    static final ClockSpec DAYS = new ClockSpec(ClockSpec.Type.BUSINESS_DAY_CLOSE, null, false, null, 1);

    static List<String> fields(ProfileDefinition d) {
        return ProfileChecks.problems(d, CALENDARS::contains).stream()
                .map(Problem.FieldError::field)
                .toList();
    }

    /** A definition of one deadline on {@code clock} is refused for its clock, and nothing else. */
    static void assertClockRefused(ClockSpec clock) {
        assertEquals(List.of("deadlines[0].clock"), fields(def(deadline("A", clock, List.of(), "RESOLVED"))));
    }

    @Test
    void aValidDefinitionHasNoProblems() {
        assertEquals(
                List.of(),
                fields(new ProfileDefinition(
                        "GB-EAW",
                        List.of(deadline("ACK", DAYS, List.of(0.5, 0.8), "ACKNOWLEDGED")),
                        new ProfileDefinition.FollowupSpec("PT16H", "PT40H"))));
        assertEquals(
                List.of(),
                fields(new ProfileDefinition("GB-EAW", List.of(deadline("ACK", DAYS, List.of(), "RESOLVED")), null)));
    }

    @Test
    void eachFaultNamesItsField() {
        assertEquals(
                List.of("calendar"),
                fields(new ProfileDefinition("MARS", List.of(deadline("A", DAYS, List.of(), "RESOLVED")), null)));
        assertEquals(List.of("deadlines"), fields(new ProfileDefinition("GB-EAW", List.of(), null)));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(0.0), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(1.0), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(0.8, 0.5), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].warnAt"), fields(def(deadline("A", DAYS, List.of(0.5, 0.5), "RESOLVED"))));
        assertEquals(List.of("deadlines[0].metBy"), fields(def(deadline("A", DAYS, List.of(), "CLOSED"))));
        assertEquals(
                List.of("deadlines[1].kind"),
                fields(def(deadline("A", DAYS, List.of(), "RESOLVED"), deadline("A", DAYS, List.of(), "RESOLVED"))));
        assertEquals(
                List.of("deadlines[0].kind"), fields(def(deadline("final response", DAYS, List.of(), "RESOLVED"))));
        assertClockRefused(null);
        assertClockRefused(new ClockSpec(ClockSpec.Type.CALENDAR_PERIOD, "8 weeks", true, null, null));
        assertClockRefused(new ClockSpec(ClockSpec.Type.BUSINESS_HOURS, null, false, "PT0S", null));
        assertClockRefused(new ClockSpec(ClockSpec.Type.BUSINESS_DAY_CLOSE, null, false, null, -1));
        assertClockRefused(new ClockSpec(null, "P8W", true, null, null));
        assertEquals(
                List.of("deadlines[0].clock.period"),
                fields(def(deadline(
                        "A",
                        new ClockSpec(ClockSpec.Type.CALENDAR_PERIOD, "P-8W", true, null, null),
                        List.of(),
                        "RESOLVED"))));
        assertEquals(
                List.of("followup.delay", "followup.window"),
                fields(new ProfileDefinition(
                        "GB-EAW",
                        List.of(deadline("A", DAYS, List.of(), "RESOLVED")),
                        new ProfileDefinition.FollowupSpec("2 days", null))));
    }

    static DeadlineSpec full(
            String kind, List<String> metBy, ExtensionSpec extendedBy, List<String> discharges, String onReopen) {
        return new DeadlineSpec(kind, DAYS, false, List.of(), true, metBy, extendedBy, discharges, onReopen);
    }

    @Test
    void metByIsAListOfKnownTokens() {
        assertEquals(
                List.of(), fields(def(full("A", List.of("FINAL_RESPONSE", "HOLDING_RESPONSE"), null, null, null))));
        assertEquals(
                List.of(),
                fields(def(full(
                        "A",
                        List.of(
                                "SUBSTANTIVE_RESPONSE:CLOSED",
                                "SUMMARY_RESOLUTION",
                                "SUBSTANTIVE_RESPONSE",
                                "SUBSTANTIVE_RESPONSE:IN_PROGRESS",
                                "DELAY_NOTICE"),
                        null,
                        null,
                        "FROM_RECEIPT"))));
        assertEquals(
                List.of("deadlines[0].metBy"),
                fields(def(full("A", List.of("FINAL_RESPONSE", "FAX"), null, null, null))));
        assertEquals(List.of("deadlines[0].metBy"), fields(def(full("A", List.of(), null, null, null))));
        assertEquals(
                List.of("deadlines[0].metBy"),
                fields(def(full("A", List.of("SUBSTANTIVE_RESPONSE:MAYBE"), null, null, null))));
        assertEquals(
                List.of("deadlines[0].metBy"),
                fields(def(full("A", List.of("ACKNOWLEDGEMENT"), null, null, null))),
                "the deadline's kind is not what meets it");
    }

    @Test
    void extensionsDischargesAndReopeningNameTheirFields() {
        ClockSpec days35 = new ClockSpec(ClockSpec.Type.BUSINESS_DAY_CLOSE, null, false, null, 35);
        ExtensionSpec holding = new ExtensionSpec(
                List.of("HOLDING_RESPONSE"), days35, false, true, List.of("REASONS_FOR_DELAY", "EXPECTED_DATE"));
        assertEquals(
                List.of(),
                fields(def(
                        full("FINAL_RESPONSE", List.of("FINAL_RESPONSE"), holding, null, "FROM_RECEIPT"),
                        full("WINDOW", List.of("RESOLVED"), null, List.of("FINAL_RESPONSE"), "NONE"))));
        assertEquals(
                List.of("deadlines[0].extendedBy.by"),
                fields(def(full(
                        "A",
                        List.of("FINAL_RESPONSE"),
                        new ExtensionSpec(List.of("LETTER"), days35, false, false, null),
                        null,
                        null))));
        assertEquals(
                List.of("deadlines[0].extendedBy"),
                fields(def(full(
                        "A",
                        List.of("FINAL_RESPONSE"),
                        new ExtensionSpec(List.of("DELAY_NOTICE"), null, false, true, null),
                        null,
                        null))));
        assertEquals(
                List.of("deadlines[0].extendedBy.clock"),
                fields(def(full(
                        "A",
                        List.of("FINAL_RESPONSE"),
                        new ExtensionSpec(
                                List.of("DELAY_NOTICE"),
                                new ClockSpec(ClockSpec.Type.BUSINESS_DAY_CLOSE, null, false, null, -1),
                                false,
                                false,
                                null),
                        null,
                        null))));
        assertEquals(
                List.of("deadlines[0].extendedBy.requires"),
                fields(def(full(
                        "A",
                        List.of("FINAL_RESPONSE"),
                        new ExtensionSpec(List.of("DELAY_NOTICE"), null, true, true, List.of("A_NICE_TONE")),
                        null,
                        null))));
        assertEquals(
                List.of("deadlines[0].discharges"),
                fields(def(full("A", List.of("RESOLVED"), null, List.of("NOPE"), null))));
        assertEquals(
                List.of("deadlines[0].discharges"),
                fields(def(full("A", List.of("RESOLVED"), null, List.of("A"), null))),
                "not itself");
        assertEquals(
                List.of("deadlines[0].onReopen"), fields(def(full("A", List.of("RESOLVED"), null, null, "LATER"))));
    }

    @Test
    void aStoredSingleMetByReadsAsAListAndKeepsWhatReopeningDid() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        DeadlineSpec v1 = mapper.readValue("""
                {"kind":"FINAL_RESPONSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":10},"pausable":true,"warnAt":[0.5],
                 "breachable":true,"metBy":"RESOLVED"}""", DeadlineSpec.class);
        assertEquals(List.of("RESOLVED"), v1.metBy());
        assertEquals(DeadlineSpec.RESTART, v1.reopening());
        assertEquals(List.of(), v1.discharges());
        assertEquals(
                DeadlineSpec.NONE,
                deadline("ACK", DAYS, List.of(), "ACKNOWLEDGED").reopening());
        String written = mapper.writeValueAsString(v1);
        assertEquals(v1, mapper.readValue(written, DeadlineSpec.class));
        assertEquals(
                false,
                written.contains("extendedBy") || written.contains("discharges") || written.contains("onReopen"),
                "a version 1 spec is written as before, with metBy as a list: " + written);
    }

    static ProfileDefinition def(DeadlineSpec... specs) {
        return new ProfileDefinition("GB-EAW", List.of(specs), null);
    }
}
