package redress.audit.log;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.CaseEvent;
import redress.events.EventCodec;

/**
 * An envelope as it came off a topic: decoded (so it is well-formed), and its JSON tree as sent,
 * which the log keeps whole, fields this reader does not know included.
 */
public record Received(CaseEvent event, JsonNode envelope, String topic) {

    /** An event as its producer would send it (for appending without Kafka: benchmarks, tests). */
    public static Received encoded(CaseEvent e, String topic) {
        return new Received(
                e, EventCodec.decodeWithEnvelope(EventCodec.encode(e)).envelope(), topic);
    }
}
