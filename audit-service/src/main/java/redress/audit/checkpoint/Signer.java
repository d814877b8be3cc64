package redress.audit.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Ed25519 key that signs checkpoints (the JDK's own implementation). It is read from a PEM
 * file holding the private key (PKCS#8) and the public key (SubjectPublicKeyInfo); when the file
 * does not exist, a new key pair is generated and written there (owner-only permissions), as the
 * local run does on first start. The key id is the first 16 hex digits of SHA-256 of the public key.
 */
@ApplicationScoped
public class Signer {

    private static final Logger LOG = Logger.getLogger(Signer.class);
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    public Signer(@ConfigProperty(name = "redress.audit.signing.key-file") Path keyFile) {
        try {
            KeyPair pair = Files.exists(keyFile) ? read(keyFile) : generate(keyFile);
            this.privateKey = pair.getPrivate();
            this.publicKey = pair.getPublic();
            this.keyId = keyIdOf(publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the signing key " + keyFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad signing key in " + keyFile, e);
        }
    }

    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
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

    public static boolean verify(PublicKey key, byte[] statement, byte[] signature) {
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
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!verify(pub, file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), s.sign())) {
            throw new GeneralSecurityException(file + ": the public key does not belong to the private key");
        }
        return new KeyPair(pub, priv);
    }

    private static KeyPair generate(Path file) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try {
            // Owner-only from the moment the file exists, before the private key is in it.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(file, pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        LOG.warnf("generated a new checkpoint signing key %s in %s: keep it, and publish its public key",
                keyIdOf(pair.getPublic()), file);
        return pair;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.trim());
    }
}
