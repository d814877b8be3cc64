package redress.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import redress.localinfra.JwtKeys;

/**
 * Bearer tokens for tests, signed by one key pair per test JVM whose public key the services
 * under test are configured with ({@link RedressTestResource}, {@link ServiceProcess}). The key
 * folder is named in a system property so that every class loader of the JVM finds the same pair.
 */
public final class TestTokens {

    private static final String DIR_PROPERTY = "redress.test.jwt-dir";

    private TestTokens() {}

    public static JwtKeys keys() {
        synchronized (System.class) {
            try {
                String dir = System.getProperty(DIR_PROPERTY);
                if (dir == null) {
                    dir = Files.createTempDirectory("redress-test-jwt").toString();
                    System.setProperty(DIR_PROPERTY, dir);
                }
                return JwtKeys.in(Path.of(dir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A valid token for {@code subject} with {@code roles}, for ten minutes. */
    public static String token(String subject, String... roles) {
        return keys().issue(subject, Set.of(roles), Duration.ofMinutes(10));
    }

    /** The Authorization header value for such a token. */
    public static String bearer(String subject, String... roles) {
        return "Bearer " + token(subject, roles);
    }
}
