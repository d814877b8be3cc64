package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import redress.audit.log.AuditLog;
import redress.audit.log.Canonical;
import redress.audit.log.Received;
import redress.events.CaseEvent;
import redress.events.Topics;

/**
 * A key rotation: the service restarts with a new signing key and the old public key among the
 * retired ones. The old key is the test profile's own, so checkpoints other test classes signed
 * with it in this database still verify. Quarkus runs classes with a test profile after the
 * others, so no class with the plain test key meets the checkpoints the new key signs here.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
@TestProfile(KeyRotationTest.Rotated.class)
class KeyRotationTest {

    static final Path OLD_KEY = Path.of("target", "audit-signing-key.pem").toAbsolutePath();
    static final Path DIR = Path.of("target", "key-rotation").toAbsolutePath();
    static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    public static class Rotated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                if (Files.exists(DIR)) {
                    try (Stream<Path> files = Files.walk(DIR)) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
                Files.createDirectories(DIR.resolve("retired"));
                if (!Files.exists(OLD_KEY)) {
                    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    Files.writeString(
                            OLD_KEY,
                            pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                                    + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                }
                // What the operator keeps of the retired key: its public half.
                Files.writeString(
                        DIR.resolve("retired").resolve("old.pem"),
                        pem("PUBLIC KEY", read(OLD_KEY).getPublic().getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of(
                    "redress.audit.signing.key-file",
                    DIR.resolve("new-key.pem").toString(),
                    "redress.audit.signing.generate-if-missing",
                    "true",
                    "redress.audit.signing.retired-keys-dir",
                    DIR.resolve("retired").toString());
        }
    }

    @Inject
    AuditLog log;

    @Inject
    DataSource dataSource;

    @Test
    void oldCheckpointsStillVerifyAndNewOnesAreSignedByTheNewKey() throws Exception {
        KeyPair old = read(OLD_KEY);
        // A checkpoint the service signed before the rotation, with the old key.
        Map<String, Object> oldCheckpoint = signHeadWith(old);

        UUID caseId = UUID.randomUUID();
        Events.publish(Events.received(caseId, "C-rot", "billing", null));
        Events.awaitHistory(caseId, 1);
        JsonPath fresh = given().post("/audit/checkpoints")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String newKeyId = fresh.getString("keyId");
        assertNotEquals(keyId(old.getPublic()), newKeyId);
        given().get("/audit/public-key").then().statusCode(200).header("Redress-Key-Id", newKeyId);
        // The retired key is still served by its id, for auditors who verify old checkpoints offline.
        given().queryParam("keyId", keyId(old.getPublic()))
                .get("/audit/public-key")
                .then()
                .statusCode(200)
                .header("Redress-Key-Id", keyId(old.getPublic()))
                .body(is(pem("PUBLIC KEY", old.getPublic().getEncoded())));
        given().queryParam("keyId", "0000000000000000")
                .get("/audit/public-key")
                .then()
                .statusCode(404);

        // Every stored checkpoint verifies with its own key: the old one and the new one.
        given().get("/audit/verify")
                .then()
                .statusCode(200)
                .body("ok", is(true))
                .body("checkpointsChecked", greaterThanOrEqualTo(2));
        // An auditor's saved copy of the old checkpoint, posted without a key: the retired key checks it.
        Events.postVerify(oldCheckpoint)
                .statusCode(200)
                .body("signatureValid", is(true))
                .body("extendsCheckpoint", is(true));
        Events.postVerify(fresh.getMap(""))
                .statusCode(200)
                .body("signatureValid", is(true))
                .body("extendsCheckpoint", is(true));

        // A checkpoint signed by a key that is in no keyring is not trusted.
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Map<String, Object> forged = statement(
                oldCheckpoint.get("seq"),
                (String) oldCheckpoint.get("chainHash"),
                Instant.parse((String) oldCheckpoint.get("time")),
                stranger);
        Events.postVerify(forged)
                .statusCode(200)
                .body("signatureValid", is(false))
                .body("extendsCheckpoint", is(false));
    }

    /** Appends an entry and signs the head with {@code key}, as the service did before the rotation. */
    private Map<String, Object> signHeadWith(KeyPair key) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            CaseEvent e = Events.interaction(UUID.randomUUID(), "C-rot", "before the rotation");
            log.append(List.of(Received.encoded(e, Topics.CASE_EVENTS)));
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                AuditLog.lockHead(c);
                AuditLog.Head head = AuditLog.head(c);
                long last;
                try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_checkpoint");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
                if (head.seq() <= last) {
                    c.rollback(); // signed meanwhile by the new key's timer: append another entry
                    continue;
                }
                Map<String, Object> cp = statement(
                        head.seq(),
                        Canonical.hex(head.chainHash()),
                        Instant.now().truncatedTo(ChronoUnit.MICROS),
                        key);
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO audit_checkpoint (seq, chain_hash, created_at, "
                                + "key_id, statement, signature) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, head.seq());
                    ps.setBytes(2, head.chainHash());
                    ps.setTimestamp(3, Timestamp.from(Instant.parse((String) cp.get("time"))));
                    ps.setString(4, (String) cp.get("keyId"));
                    ps.setString(5, (String) cp.get("statement"));
                    ps.setBytes(6, Base64.getDecoder().decode((String) cp.get("signature")));
                    ps.executeUpdate();
                }
                c.commit();
                return cp;
            }
        }
        throw new IllegalStateException("could not sign a head with the old key");
    }

    private static Map<String, Object> statement(Object seq, String chainHash, Instant time, KeyPair key)
            throws Exception {
        String keyId = keyId(key.getPublic());
        String statement = "{\"chainHash\":\"" + chainHash + "\",\"keyId\":\"" + keyId + "\",\"seq\":" + seq
                + ",\"time\":\"" + time + "\"}";
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(statement.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> cp = new LinkedHashMap<>();
        cp.put("seq", seq);
        cp.put("chainHash", chainHash);
        cp.put("time", time.toString());
        cp.put("keyId", keyId);
        cp.put("statement", statement);
        cp.put("signature", Base64.getEncoder().encodeToString(s.sign()));
        return cp;
    }

    static String keyId(PublicKey key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
    }

    static KeyPair read(Path file) throws Exception {
        Matcher m = PEM.matcher(Files.readString(file));
        PrivateKey priv = null;
        PublicKey pub = null;
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
            seen.add(m.group(1));
            if (m.group(1).equals("PRIVATE KEY")) {
                priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            } else if (m.group(1).equals("PUBLIC KEY")) {
                pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            }
        }
        if (priv == null || pub == null) {
            throw new IllegalStateException(file + " holds " + seen);
        }
        return new KeyPair(pub, priv);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
