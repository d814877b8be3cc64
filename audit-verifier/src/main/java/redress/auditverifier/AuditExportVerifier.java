package redress.auditverifier;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An audit export verifier written from docs/audit-log.md alone: an RFC 8785 library, the JDK's
 * SHA-256 and Ed25519, and Jackson to read lines; none of audit-service's own code. The tests and
 * the local run's demo check exports with it, as an auditor's tool would.
 */
public final class AuditExportVerifier {

    public record Result(long entries, long checkpoints, String lastChainHash, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    public static Result verify(String ndjson, PublicKey trustedKey) throws Exception {
        List<String> problems = new ArrayList<>();
        String[] lines = ndjson.split("\n");
        JsonNode header = JSON.readTree(lines[0]);
        if (!"header".equals(header.path("kind").asText())
                || !"redress-audit-export/1".equals(header.path("format").asText())) {
            problems.add("line 1 is not a redress-audit-export/1 header");
            return new Result(0, 0, null, problems);
        }
        byte[] prev = HEX.parseHex(header.path("previousChainHash").asText());
        long expected = header.path("firstSeq").asLong(1);
        Map<Long, String> chainBySeq = new HashMap<>();
        long entries = 0;
        long checkpoints = 0;
        boolean footer = false;
        for (int i = 1; i < lines.length; i++) {
            JsonNode line = JSON.readTree(lines[i]);
            switch (line.path("kind").asText()) {
                case "entry" -> {
                    long seq = line.path("seq").asLong();
                    if (seq != expected) {
                        problems.add("entry " + expected + " expected, found " + seq);
                        return new Result(entries, checkpoints, HEX.formatHex(prev), problems);
                    }
                    expected++;
                    byte[] c = line.path("canonical").asText().getBytes(StandardCharsets.UTF_8);
                    JsonNode entry = JSON.readTree(c);
                    if (!Arrays.equals(new JsonCanonicalizer(c).getEncodedUTF8(), c)) {
                        problems.add("entry " + seq + " is not in canonical form");
                    }
                    if (entry.path("seq").asLong() != seq) {
                        problems.add("entry " + seq + " carries seq " + entry.path("seq"));
                    }
                    byte[] leaf = sha256(c);
                    if (!HEX.formatHex(leaf).equals(line.path("leafHash").asText())) {
                        problems.add("entry " + seq + ": leaf hash mismatch");
                    }
                    byte[] chain = sha256(prev, leaf);
                    if (!HEX.formatHex(chain).equals(line.path("chainHash").asText())) {
                        problems.add("entry " + seq + ": chain hash mismatch");
                    }
                    prev = chain;
                    chainBySeq.put(seq, HEX.formatHex(chain));
                    entries++;
                }
                case "checkpoint" -> {
                    long seq = line.path("seq").asLong();
                    ObjectMapper m = new ObjectMapper();
                    var fields = m.createObjectNode();
                    fields.put("seq", seq);
                    fields.put("chainHash", line.path("chainHash").asText());
                    fields.put("time", line.path("time").asText());
                    fields.put("keyId", line.path("keyId").asText());
                    String statement = new JsonCanonicalizer(m.writeValueAsString(fields)).getEncodedString();
                    if (!statement.equals(line.path("statement").asText())) {
                        problems.add("checkpoint " + seq + ": statement does not match its fields");
                    }
                    Signature sig = Signature.getInstance("Ed25519");
                    sig.initVerify(trustedKey);
                    sig.update(line.path("statement").asText().getBytes(StandardCharsets.UTF_8));
                    if (!sig.verify(
                            Base64.getDecoder().decode(line.path("signature").asText()))) {
                        problems.add("checkpoint " + seq + ": bad signature");
                    }
                    if (!line.path("chainHash").asText().equals(chainBySeq.get(seq))) {
                        problems.add("checkpoint " + seq + ": chain hash differs from the entries");
                    }
                    checkpoints++;
                }
                case "footer" -> {
                    footer = true;
                    if (line.path("entries").asLong() != entries) {
                        problems.add("footer counts " + line.path("entries") + " entries, found " + entries);
                    }
                    if (!line.path("lastChainHash").asText().equals(HEX.formatHex(prev))) {
                        problems.add("footer's last chain hash differs");
                    }
                }
                default -> problems.add("line " + (i + 1) + " has unknown kind");
            }
        }
        if (!footer) {
            problems.add("no footer: the export is truncated");
        }
        return new Result(entries, checkpoints, HEX.formatHex(prev), problems);
    }

    public static PublicKey publicKey(String pem) throws Exception {
        String b64 = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    private AuditExportVerifier() {}
}
