package redress.audit.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.erdtman.jcs.JsonCanonicalizer;
import org.erdtman.jcs.NumberToJSON;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import redress.events.EventCodec;

/**
 * The hashing rules of the log, as docs/audit-log.md states them: an entry's canonical bytes are
 * the RFC 8785 (JCS) form of its fields in UTF-8; {@code leafHash = SHA-256(canonical)};
 * {@code chainHash(n) = SHA-256(chainHash(n-1) || leafHash(n))}, starting from 32 zero bytes.
 */
public final class Canonical {

    public static final byte[] GENESIS = new byte[32];
    private static final HexFormat HEX = HexFormat.of();

    private Canonical() {}

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

    /**
     * The envelope as the log keeps it. RFC 8785 writes every number as the IEEE-754 double nearest
     * to it, so a number beyond double range ({@code 1e400}), below it ({@code 1e-400}) or with more
     * digits than a double holds ({@code 12345678901234567890}) would be recorded as another number
     * (Jackson even turns {@code 1e400} into the string {@code "Infinity"}). Such an envelope is kept
     * as its exact received text instead: the entry's {@code envelope} is then a JSON string holding
     * the record's value verbatim, which JCS carries unchanged. Every other envelope is its JSON
     * object, as before. (docs/audit-log.md, "Numbers an entry cannot hold")
     */
    public static JsonNode envelope(JsonNode parsed, String received) {
        return onlyExactNumbers(parsed) || exactInJcs(received) ? parsed : TextNode.valueOf(received);
    }

    /** No number a double could misrepresent: only small integers (Jackson keeps those exact). */
    private static boolean onlyExactNumbers(JsonNode n) {
        if (n.isContainerNode()) {
            for (JsonNode child : n) {
                if (!onlyExactNumbers(child)) {
                    return false;
                }
            }
            return true;
        }
        return !n.isNumber() || n.isInt();
    }

    /** Whether every number in the JSON text keeps its exact value when written the RFC 8785 way. */
    static boolean exactInJcs(String json) {
        try (JsonParser p = EventCodec.mapper().getFactory().createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)
                        && !numberExact(p.getText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private static boolean numberExact(String number) {
        try {
            BigDecimal exact = new BigDecimal(number);
            double d = exact.doubleValue();
            return !Double.isInfinite(d) && new BigDecimal(NumberToJSON.serializeNumber(d)).compareTo(exact) == 0;
        } catch (NumberFormatException | ArithmeticException | IOException e) {
            return false; // an exponent beyond BigDecimal's, or a double JCS refuses
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
