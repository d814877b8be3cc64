package redress.audit.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import redress.events.EventCodec;

/**
 * The hashing rules of the log, as docs/audit-log.md states them: an entry's canonical bytes are
 * the RFC 8785 (JCS) form of its fields in UTF-8; {@code leafHash = SHA-256(canonical)};
 * {@code chainHash(n) = SHA-256(chainHash(n-1) || leafHash(n))}, starting from 32 zero bytes.
 */
public final class Canonical {

    public static final byte[] GENESIS = new byte[32];
    private static final HexFormat HEX = HexFormat.of();

    private Canonical() {
    }

    /** The JCS form of a JSON value, as UTF-8 bytes. */
    public static byte[] jcs(JsonNode value) {
        try {
            return new JsonCanonicalizer(EventCodec.mapper().writeValueAsString(value)).getEncodedUTF8();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] leafHash(byte[] canonical) {
        return sha256().digest(canonical);
    }

    public static byte[] chainHash(byte[] previous, byte[] leaf) {
        MessageDigest d = sha256();
        d.update(previous);
        d.update(leaf);
        return d.digest();
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
