package redress.audit.log;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.CaseEvent;

/**
 * An envelope as it came off a topic: decoded (so it is well-formed), and its JSON tree as sent,
 * which the log keeps whole, fields this reader does not know included.
 */
public record Received(CaseEvent event, JsonNode envelope, String topic) {
}
