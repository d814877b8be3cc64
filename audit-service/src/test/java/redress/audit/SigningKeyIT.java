package redress.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;

/** The built service and its signing key, configured as an operator would: environment variables. */
class SigningKeyIT {

    static final Path JAR = Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));

    @Test
    void aMissingKeyStopsTheStartUnlessGenerationIsEnabled() throws Exception {
        Path key = Files.createTempDirectory(Path.of("target"), "signing-it")
                .toAbsolutePath()
                .resolve("audit-signing-key.pem");
        Path log = Path.of("target", "audit-no-key.log");
        Files.deleteIfExists(log);
        try (ServiceProcess audit = new ServiceProcess(JAR, TestInfrastructure.get(), "audit", "audit_writer")) {
            audit.env("REDRESS_AUDIT_SIGNING_KEY_FILE", key.toString());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> audit.start("audit-no-key"));
            assertTrue(e.getMessage().contains("exited"), e.getMessage());
        }
        String output = Files.readString(log);
        assertTrue(output.contains("no checkpoint signing key at " + key), output);
        assertTrue(output.contains("redress.audit.signing.generate-if-missing=true"), output);
        assertFalse(Files.exists(key), "no key may be generated");

        try (ServiceProcess audit = new ServiceProcess(JAR, TestInfrastructure.get(), "audit", "audit_writer")) {
            audit.env("REDRESS_AUDIT_SIGNING_KEY_FILE", key.toString())
                    .env("REDRESS_AUDIT_SIGNING_GENERATE_IF_MISSING", "true");
            audit.start("audit-new-key");
            assertTrue(Files.exists(key));
            assertEquals(200, audit.get("/audit/public-key").statusCode());
        }
    }
}
