package redress.audit.checkpoint;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The checkpoint signing keys (docs/audit-log.md, "Signing keys and rotation"). */
@ConfigMapping(prefix = "redress.audit.signing")
public interface SigningConfig {

    /**
     * The current key pair, PEM (PKCS#8 private key and SubjectPublicKeyInfo public key). A
     * relative path is resolved against the working directory; the resolved path is logged at start.
     */
    Path keyFile();

    /** Generate a key pair at {@link #keyFile()} when it does not exist. Off: a missing key stops the start. */
    @WithDefault("false")
    boolean generateIfMissing();

    /** A directory of PEM public keys of retired keys, which still verify the checkpoints they signed. */
    Optional<Path> retiredKeysDir();
}
