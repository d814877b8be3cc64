package redress.audit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SignerTest {

    record Config(Path keyFile, boolean generateIfMissing, Optional<Path> retiredKeysDir) implements SigningConfig {}

    @Test
    void noKeyAndNoGenerationRefusesToStart() throws Exception {
        Path missing = Files.createTempDirectory("signer").resolve("no-such-key.pem");
        Exception e = assertThrows(
                IllegalStateException.class, () -> new Signer(new Config(missing, false, Optional.empty())));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("redress.audit.signing.generate-if-missing"), e.getMessage());
        assertFalse(Files.exists(missing), "no key may be generated");
    }

    @Test
    void aRelativeKeyPathIsResolvedAgainstTheWorkingDirectory() throws Exception {
        Path relative = Path.of("target", "signer-" + System.nanoTime(), "key.pem");
        Exception e = assertThrows(
                IllegalStateException.class, () -> new Signer(new Config(relative, false, Optional.empty())));
        assertTrue(e.getMessage().contains(relative.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void retiredKeysJoinTheKeyring() throws Exception {
        Path dir = Files.createTempDirectory("signer");
        Signer old = new Signer(new Config(dir.resolve("old.pem"), true, Optional.empty()));
        Path retired = Files.createDirectories(dir.resolve("retired"));
        Files.writeString(retired.resolve("old-public.pem"), old.publicKeyPem());
        Signer current = new Signer(new Config(dir.resolve("new.pem"), true, Optional.of(retired)));
        assertEquals(List.of(current.keyId(), old.keyId()), current.keyIds());
        assertEquals(old.publicKey(), current.publicKey(old.keyId()));
        assertNull(current.publicKey("0000000000000000"));
        // A directory not made yet holds no retired keys.
        assertEquals(
                List.of(current.keyId()),
                new Signer(new Config(dir.resolve("new.pem"), false, Optional.of(dir.resolve("nowhere")))).keyIds());
    }
}
