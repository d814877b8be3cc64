package redress.testsupport;

import java.net.URI;
import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The security checks of docs/security.md's endpoint × role table for one service: a service's
 * {@code @QuarkusTest} extends this and names itself. Real tokens, no test identity.
 */
public abstract class EndpointTableTest {

    @TestHTTPResource("/")
    protected URL base;

    /** The service's name in the table's first column. */
    protected abstract String service();

    @Test
    void everyOperationHasARoleRuleInTheTable() throws Exception {
        SecurityChecks.everyOperationHasARow(URI.create(base.toString()), service());
    }

    @Test
    void everyOperationRefusesTheWrongCallers() throws Exception {
        SecurityChecks.eachRowIsEnforced(URI.create(base.toString()), service());
    }
}
