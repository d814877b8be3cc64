package redress.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.payload.Customer;

/**
 * How a customer's name and contact are sealed in payloads and tables (docs/security.md,
 * "Personal data"): AES-256-GCM from the JDK, a random 96-bit IV per seal, a 128-bit tag, and the
 * key id as additional authenticated data, so a sealed object moved to another customer or key
 * version does not open. The plain text is the JSON object {@code {"name","email","phone"}}
 * (absent fields left out). Data keys are themselves wrapped the same way with the
 * key-encryption key, the key id again as AAD.
 */
public final class CustomerSeal {

    public static final String ALGORITHM = "A256GCM";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private CustomerSeal() {}

    /** The key id of a customer's data key: {@code <customerId>:<version>}. */
    public static String keyId(String customerId, int version) {
        return customerId + ":" + version;
    }

    /** A new random 256-bit AES key. */
    public static SecretKey newKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256, RANDOM);
            return g.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no AES in this JDK", e);
        }
    }

    /** An AES key from its 32 raw bytes (a key-encryption key from configuration, an unwrapped data key). */
    public static SecretKey key(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes, not " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** The customer with name and contact encrypted under {@code key}, known as {@code kid}; the id stays clear. */
    public static Customer seal(Customer clear, String kid, SecretKey key) {
        Map<String, String> secret = new LinkedHashMap<>();
        put(secret, "name", clear.name());
        put(secret, "email", clear.email());
        put(secret, "phone", clear.phone());
        try {
            byte[] plain = EventCodec.mapper().writeValueAsBytes(secret);
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            byte[] ct = crypt(Cipher.ENCRYPT_MODE, key, iv, kid, plain);
            return new Customer(
                    clear.id(), null, null, null, ALGORITHM, kid, B64.encodeToString(iv), B64.encodeToString(ct));
        } catch (IOException e) {
            throw new IllegalStateException("cannot seal customer " + clear.id(), e);
        }
    }

    /**
     * The clear customer of a sealed one. Throws {@link IllegalArgumentException} when the key does
     * not open it (another key, another key id, altered bytes).
     */
    public static Customer open(Customer sealed, SecretKey key) {
        if (!sealed.isSealed()) {
            return sealed;
        }
        if (!ALGORITHM.equals(sealed.enc())) {
            throw new IllegalArgumentException("unknown customer encryption " + sealed.enc());
        }
        byte[] plain =
                crypt(Cipher.DECRYPT_MODE, key, B64D.decode(sealed.iv()), sealed.kid(), B64D.decode(sealed.ct()));
        try {
            JsonNode n = EventCodec.mapper().readTree(plain);
            return new Customer(sealed.id(), text(n, "name"), text(n, "email"), text(n, "phone"));
        } catch (IOException e) {
            throw new IllegalArgumentException("sealed customer is not JSON", e);
        }
    }

    /** Bytes sealed apart from the customer object: base64url IV and cipher text (with its tag). */
    public record Sealed(String iv, String ct) {}

    /**
     * Other data of a customer sealed with their data key (their vulnerability flags, intake-service):
     * the associated data is {@code <kid>#<purpose>}, so such bytes never open as the customer object
     * or as another purpose's, and, like it, not under another customer or key version.
     */
    public static Sealed seal(byte[] plain, String kid, String purpose, SecretKey key) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] ct = crypt(Cipher.ENCRYPT_MODE, key, iv, kid + "#" + purpose, plain);
        return new Sealed(B64.encodeToString(iv), B64.encodeToString(ct));
    }

    /**
     * The plain bytes of {@link #seal(byte[], String, String, SecretKey)}. Throws
     * {@link IllegalArgumentException} when the key, key id or purpose does not open them.
     */
    public static byte[] open(Sealed sealed, String kid, String purpose, SecretKey key) {
        return crypt(Cipher.DECRYPT_MODE, key, B64D.decode(sealed.iv()), kid + "#" + purpose, B64D.decode(sealed.ct()));
    }

    /** A data key wrapped with the key-encryption key: IV followed by cipher text and tag. */
    public static byte[] wrap(SecretKey dataKey, SecretKey kek, String kid) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] ct = crypt(Cipher.ENCRYPT_MODE, kek, iv, kid, dataKey.getEncoded());
        byte[] out = new byte[iv.length + ct.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(ct, 0, out, iv.length, ct.length);
        return out;
    }

    public static SecretKey unwrap(byte[] wrapped, SecretKey kek, String kid) {
        byte[] iv = Arrays.copyOfRange(wrapped, 0, IV_BYTES);
        byte[] ct = Arrays.copyOfRange(wrapped, IV_BYTES, wrapped.length);
        return key(crypt(Cipher.DECRYPT_MODE, kek, iv, kid, ct));
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] iv, String kid, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("the key does not open this (wrong key, key id or altered bytes)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
