package redress.audit.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;

/**
 * The Ed25519 key that signs checkpoints (the JDK's own implementation) and the keyring that
 * verifies them. The current key pair is read from a PEM file holding the private key (PKCS#8) and
 * the public key (SubjectPublicKeyInfo). A missing file stops the start, unless generation is
 * enabled (the local run and tests): a new key silently replacing a lost one would make every
 * stored checkpoint fail. Retired public keys, by key id, still verify the checkpoints they signed.
 * The key id is the first 16 hex digits of SHA-256 of the public key.
 */
@ApplicationScoped
@Startup // a missing key stops the start, not the first checkpoint
public class Signer {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;
    /** Every key that verifies checkpoints, by key id: the current one first. */
    private final Map<String, PublicKey> keyring;

    public Signer(SigningConfig config) {
        Path keyFile = config.keyFile().toAbsolutePath().normalize();
        try {
            KeyPair pair;
            if (Files.exists(keyFile)) {
                pair = read(keyFile);
            } else if (config.generateIfMissing()) {
                pair = generate(keyFile);
            } else {
                throw new IllegalStateException("no checkpoint signing key at " + keyFile
                        + " (redress.audit.signing.key-file = " + config.keyFile()
                        + ", a relative path is resolved against "
                        + "the working directory " + Path.of("").toAbsolutePath()
                        + "). Restore the key file there, or, for "
                        + "a new log or a deliberate rotation, set redress.audit.signing.generate-if-missing=true "
                        + "(docs/audit-log.md, \"Signing keys and rotation\")");
            }
            this.privateKey = pair.getPrivate();
            this.publicKey = pair.getPublic();
            this.keyId = keyIdOf(publicKey);
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            keys.put(keyId, publicKey);
            if (config.retiredKeysDir().isPresent()) {
                readRetired(config.retiredKeysDir().get().toAbsolutePath().normalize(), keys);
            }
            this.keyring = Collections.unmodifiableMap(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the signing key " + keyFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad signing key in " + keyFile + ": " + e.getMessage(), e);
        }
        Log.infof("checkpoint signing key %s from %s; keyring: %s", keyId, keyFile, keyring.keySet());
    }

    public String keyId() {
        return keyId;
    }

    /** The current public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public key with this id, current or retired; null when the keyring has none. */
    public PublicKey publicKey(String keyId) {
        return keyId == null ? null : keyring.get(keyId);
    }

    /** Every key id in the keyring, the current one first. */
    public List<String> keyIds() {
        return List.copyOf(keyring.keySet());
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public byte[] sign(byte[] statement) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(statement);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign", e);
        }
    }

    /** False for a bad signature, and for no key at all. */
    public static boolean verify(PublicKey key, byte[] statement, byte[] signature) {
        if (key == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(statement);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A public key from PEM (SubjectPublicKeyInfo), as {@code GET /audit/public-key} serves it. */
    public static PublicKey publicKeyFromPem(String pem) throws GeneralSecurityException {
        Matcher m = PEM.matcher(pem);
        if (!m.find() || !"PUBLIC KEY".equals(m.group(1))) {
            throw new GeneralSecurityException("not a PEM public key");
        }
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(decode(m.group(2))));
    }

    public static String keyIdOf(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair read(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file);
        Matcher m = PEM.matcher(text);
        PrivateKey priv = null;
        PublicKey pub = null;
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        while (m.find()) {
            byte[] der = decode(m.group(2));
            if ("PRIVATE KEY".equals(m.group(1))) {
                priv = kf.generatePrivate(new PKCS8EncodedKeySpec(der));
            } else if ("PUBLIC KEY".equals(m.group(1))) {
                pub = kf.generatePublic(new X509EncodedKeySpec(der));
            }
        }
        if (priv == null || pub == null) {
            throw new GeneralSecurityException(file + " must hold a PRIVATE KEY and a PUBLIC KEY block");
        }
        byte[] probe = file.toString().getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update(probe);
        if (!verify(pub, probe, s.sign())) {
            throw new GeneralSecurityException(file + ": the public key does not belong to the private key");
        }
        return new KeyPair(pub, priv);
    }

    /**
     * Every {@code *.pem} file in the directory must hold a PUBLIC KEY block. A directory that does
     * not exist holds no keys (none retired yet); a lost one shows in the start-up check of the
     * stored checkpoints' key ids (Checkpoints).
     */
    private static void readRetired(Path dir, Map<String, PublicKey> keys)
            throws IOException, GeneralSecurityException {
        if (!Files.isDirectory(dir)) {
            Log.warnf("redress.audit.signing.retired-keys-dir %s does not exist: no retired keys", dir);
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.pem")) {
            s.forEach(files::add);
        }
        Collections.sort(files);
        for (Path f : files) {
            String text = Files.readString(f);
            if (text.contains("PRIVATE KEY-----")) {
                Log.warnf("retired key file %s also holds a private key: keep only the public key there", f);
            }
            Matcher m = PEM.matcher(text);
            PublicKey pub = null;
            while (m.find() && pub == null) {
                if ("PUBLIC KEY".equals(m.group(1))) {
                    pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(decode(m.group(2))));
                }
            }
            if (pub == null) {
                throw new GeneralSecurityException("retired key file " + f + " holds no PUBLIC KEY block");
            }
            keys.putIfAbsent(keyIdOf(pub), pub);
        }
    }

    private static KeyPair generate(Path file) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try {
            // Owner-only from the moment the file exists, before the private key is in it.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(
                file,
                pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                        + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Log.warnf(
                "generated a new checkpoint signing key %s in %s: keep it, and publish its public key",
                keyIdOf(pair.getPublic()), file);
        return pair;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.trim());
    }
}
