package redress.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

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

    /**
     * The service's token verification remembers what it verified (service-support's
     * VerifiedTokens, a decorator of the parser authentication uses): it is in place, and a token
     * differing from a remembered one only in its signature is still refused. Expiry and the ttl
     * are VerifiedTokensTest's.
     */
    @Test
    void aRememberedTokenPassesOnlyAsItself() throws Exception {
        assertEquals(
                List.of("redress.support.security.VerifiedTokens"),
                Arc.container().beanManager().resolveDecorators(Set.of(JWTParser.class)).stream()
                        .map(d -> d.getBeanClass().getName())
                        .toList());
        JWTParser parser = Arc.container().instance(JWTParser.class).get();
        String token = TestTokens.token("remembered", "agent");
        assertEquals("remembered", parser.parse(token).getName());
        assertEquals("remembered", parser.parse(token).getName());

        int middle = token.lastIndexOf('.') + 10;
        String forged =
                token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);
        assertThrows(ParseException.class, () -> parser.parse(forged));
    }
}
