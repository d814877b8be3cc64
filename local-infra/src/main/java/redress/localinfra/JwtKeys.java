package redress.localinfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * The signing key pair of a run without an identity provider (the local run, the tests), kept as
 * PEM files in a folder, and the tokens it signs: RS256, issuer {@value #ISSUER}, audience
 * {@value #AUDIENCE}, the roles in {@code groups}, the caller's id in {@code sub}. Services need
 * only the public key ({@code mp.jwt.verify.publickey.location}).
 */
public final class JwtKeys {

    public static final String ISSUER = "redress-local";
    public static final String AUDIENCE = "redress";
    public static final String PRIVATE_FILE = "jwt-signing-key.pem";
    public static final String PUBLIC_FILE = "jwt-public-key.pem";

    private final KeyPair keys;
    private final Path publicKeyFile;

    private JwtKeys(KeyPair keys, Path publicKeyFile) {
        this.keys = keys;
        this.publicKeyFile = publicKeyFile;
    }

    /** The key pair kept in {@code dir}, generated there on first use. */
    public static synchronized JwtKeys in(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (Files.exists(priv) && Files.exists(pub)) {
                PrivateKey p = rsa.generatePrivate(
                        new PKCS8EncodedKeySpec(pem(Files.readString(pub.resolveSibling(PRIVATE_FILE)))));
                PublicKey q = rsa.generatePublic(new X509EncodedKeySpec(pem(Files.readString(pub))));
                return new JwtKeys(new KeyPair(q, p), pub);
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            Files.createDirectories(dir);
            writeOwnerOnly(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
            Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
            return new JwtKeys(kp, pub);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read or create the token signing key in " + dir, e);
        }
    }

    /** Writes a secret readable by its owner only, from its creation on (no window where others can read it). */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the folder's own permissions apply
        }
        Files.writeString(file, content);
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** A token for {@code subject} with {@code roles}, valid for {@code ttl} from now. */
    public String issue(String subject, Set<String> roles, Duration ttl) {
        return issue(subject, roles, ttl, Map.of());
    }

    /** As {@link #issue(String, Set, Duration)}, with more claims (an agent's {@code level}, for instance). */
    public String issue(String subject, Set<String> roles, Duration ttl, Map<String, String> claims) {
        var builder = Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .upn(subject)
                .groups(roles);
        claims.forEach(builder::claim);
        return builder.issuedAt(Instant.now()).expiresIn(ttl).jws().sign(keys.getPrivate());
    }

    /** A token signed with a key no service trusts (for tests of refusal). */
    public static String foreign(String subject, Set<String> roles) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return Jwt.issuer(ISSUER)
                    .audience(AUDIENCE)
                    .subject(subject)
                    .groups(roles)
                    .expiresIn(Duration.ofMinutes(5))
                    .jws()
                    .sign(g.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token that expired an hour ago, properly signed. */
    public String expired(String subject, Set<String> roles) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .groups(roles)
                .issuedAt(past)
                .expiresAt(past.plus(Duration.ofHours(1)))
                .jws()
                .sign(keys.getPrivate());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(String text) {
        return Base64.getMimeDecoder()
                .decode(text.replaceAll("-----[A-Z ]+-----", "").trim());
    }
}
