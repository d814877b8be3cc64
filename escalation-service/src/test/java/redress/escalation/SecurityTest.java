package redress.escalation;

import java.net.URI;
import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import redress.testsupport.SecurityChecks;

/** Who may do what (docs/security.md), with real tokens: no test identity here. */
@QuarkusTest
class SecurityTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyOperationHasARoleRuleInTheTable() throws Exception {
        SecurityChecks.everyOperationHasARow(URI.create(base.toString()), "escalation-service");
    }

    @Test
    void everyOperationRefusesTheWrongCallers() throws Exception {
        SecurityChecks.eachRowIsEnforced(URI.create(base.toString()), "escalation-service");
    }
}
