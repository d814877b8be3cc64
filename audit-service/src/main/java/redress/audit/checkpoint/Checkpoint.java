package redress.audit.checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import redress.audit.log.Canonical;
import redress.events.EventCodec;

/**
 * A signed head of the chain. {@code statement} is the exact text that was signed: the JCS form
 * of {@code {"chainHash","keyId","seq","time"}}; {@code signature} is Ed25519 over its UTF-8
 * bytes, in base64.
 */
public record Checkpoint(long seq, String chainHash, Instant time, String keyId, String statement, String signature) {

    public static final String ALGORITHM = "Ed25519";

    public static String statement(long seq, String chainHash, Instant time, String keyId) {
        ObjectNode n = EventCodec.mapper().createObjectNode();
        n.put("seq", seq);
        n.put("chainHash", chainHash);
        n.put("time", time.toString());
        n.put("keyId", keyId);
        return new String(Canonical.jcs(n), StandardCharsets.UTF_8);
    }

    /** The statement rebuilt from the fields: a checkpoint whose statement differs is not trusted. */
    public boolean statementMatchesFields() {
        return statement(seq, chainHash, time, keyId).equals(statement);
    }
}
