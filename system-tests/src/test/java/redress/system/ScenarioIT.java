package redress.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import redress.localrun.scenario.DifficultCustomer;

/**
 * The seeds' difficult customer across the four built services, through their public APIs, with
 * nothing going wrong: every service's answers along the way (the scenario fails a step that does
 * not see them) and the auditor's history at the end.
 */
class ScenarioIT extends AgainstTheSystem {

    @Test
    void theDifficultCustomerEndsWithACompleteVerifiedHistory() throws Exception {
        DifficultCustomer.Result result = Scenarios.scenario(system).play();
        Scenarios.assertHistory(system, result);
        // Nothing crashed, so every cause was logged before its effects, across topics too.
        assertEquals(List.of(), Scenarios.causesLoggedLate(system, result));
        assertTrue(result.elapsed().compareTo(Duration.ofMinutes(2)) < 0, "took " + result.elapsed());
    }
}
