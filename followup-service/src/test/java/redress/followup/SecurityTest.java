package redress.followup;

import io.quarkus.test.junit.QuarkusTest;
import redress.testsupport.EndpointTableTest;

/** Who may do what (docs/security.md), with real tokens: no test identity here. */
@QuarkusTest
class SecurityTest extends EndpointTableTest {

    @Override
    protected String service() {
        return "followup-service";
    }
}
