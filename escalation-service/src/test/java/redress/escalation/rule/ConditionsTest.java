package redress.escalation.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conditions are checked against the declared variables when saved; what is wrong is named by line and column. */
class ConditionsTest {

    final Conditions conditions = new Conditions(100);

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "sevrity == \"CRITICAL\"                 | 1 | 1",
                "severity == 2                           | 1 | 10",
                "solutions_rejected                      | 1 | 1",
                "severity == (                            | 1 | 14",
                "tones.exists(t, t == 1)                 | 1 | 19"
            })
    void invalidConditionsNameLineAndColumn(String condition, int line, int column) {
        Conditions.Invalid e = assertThrows(Conditions.Invalid.class, () -> conditions.compile(condition.strip()));
        Conditions.Issue first = e.issues().get(0);
        assertEquals(line + ":" + column, first.line() + ":" + first.column(), e.getMessage());
    }

    @Test
    void aProblemOnALaterLineNamesThatLine() {
        Conditions.Invalid e = assertThrows(
                Conditions.Invalid.class, () -> conditions.compile("severity == \"HIGH\" &&\n  tone_rank > 1"));
        assertEquals("2:3", e.issues().get(0).line() + ":" + e.issues().get(0).column(), e.getMessage());
    }

    @Test
    void validConditionsSeeTheirVariables() throws Exception {
        Map<String, Object> v = new HashMap<>();
        RuleVariables.DECLARED.forEach((name, type) -> v.put(name, ""));
        v.put("level_rank", 1L);
        v.put("solutions_rejected", 2L);
        v.put("tones", List.of("CALM", "ANGRY"));
        v.put("event_dissatisfied", false);
        assertTrue(
                conditions.compile("solutions_rejected >= 2 && level_rank < 3").test(v));
        assertTrue(conditions.compile("tones.exists(t, t == \"ANGRY\")").test(v));
        assertFalse(conditions.compile("tones.all(t, t == \"ANGRY\")").test(v));
        assertFalse(conditions.compile("event_dissatisfied").test(v));
    }

    @Test
    void aConditionThatIteratesTooMuchIsFalseNotAFailure() throws Exception {
        Map<String, Object> v = new HashMap<>();
        v.put("tones", java.util.Collections.nCopies(500, "CALM"));
        assertFalse(
                conditions.compile("tones.all(t, tones.all(u, u == \"CALM\"))").test(v));
    }
}
