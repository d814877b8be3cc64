package redress.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import redress.events.payload.CasePayload;

/**
 * The one place that knows the wire format: CloudEvents 1.0, structured mode, JSON. Events sent
 * by others in binary content mode are read too, turned into the structured text first
 * ({@link #structuredText}).
 *
 * <p>Readers are tolerant where tolerance is safe: unknown attributes and unknown payload fields
 * are ignored, an unknown event type decodes (its data stays JSON). They are strict where guessing
 * would be wrong: bad JSON, a missing required attribute, or a schema version newer than this
 * reader knows raise {@link EventFormatException}.
 */
public final class EventCodec {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** The Kafka {@code content-type} header of a structured-mode record. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    /** What a structured-mode record's {@code content-type} starts with (matched ignoring case). */
    public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents";
    /** The prefix of an attribute's Kafka header in binary content mode. */
    public static final String BINARY_HEADER_PREFIX = "ce_";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventCodec() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(CaseEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("specversion", SPEC_VERSION);
        n.put("id", e.id().toString());
        n.put("type", e.type());
        n.put("source", e.source());
        n.put("subject", e.subject());
        n.put("time", e.time().toString());
        n.put("datacontenttype", DATA_CONTENT_TYPE);
        putIfPresent(n, "dataschema", e.dataschema());
        putIfPresent(n, "correlationid", e.correlationid());
        putIfPresent(n, "causationid", e.causationid());
        putIfPresent(
                n, "actortype", e.actortype() == null ? null : e.actortype().wire());
        putIfPresent(n, "actorid", e.actorid());
        putIfPresent(n, "customerid", e.customerid());
        n.set("data", e.data());
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode event " + e.id(), ex);
        }
    }

    public static byte[] encodeBytes(CaseEvent e) {
        return encode(e).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The structured-mode text of an event sent in binary content mode (the CloudEvents Kafka
     * protocol binding, 3.2): its attributes (the {@code ce_} headers, without the prefix), its
     * {@code datacontenttype} (the record's {@code content-type}), and its data, the record's value
     * as sent, unchanged (so that every number in it keeps its text). The data must be one JSON
     * value, so nothing in it can add or replace an attribute; absent data is left out, and
     * {@link #decode} then refuses the envelope as it refuses a structured one without data.
     *
     * @throws EventFormatException when the data is not JSON, or is more than one JSON value
     */
    public static String structuredText(Map<String, String> attributes, String dataContentType, String data) {
        ObjectNode n = MAPPER.createObjectNode();
        attributes.forEach((name, value) -> {
            if (!name.equals("data") && !name.equals("data_base64") && !name.equals("datacontenttype")) {
                n.put(name, value);
            }
        });
        if (dataContentType != null) {
            if (!dataContentType.startsWith(DATA_CONTENT_TYPE)) {
                throw new EventFormatException("unsupported datacontenttype " + dataContentType);
            }
            n.put("datacontenttype", dataContentType);
        }
        String head;
        try {
            head = MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write attributes", ex);
        }
        if (data == null) {
            return head;
        }
        requireOneJsonValue(data);
        return head.substring(0, head.length() - 1) + (n.isEmpty() ? "" : ",") + "\"data\":" + data + "}";
    }

    private static void requireOneJsonValue(String text) {
        try (JsonParser p = MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() == null) {
                throw new EventFormatException("data is empty");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new EventFormatException("data is more than one JSON value");
            }
        } catch (IOException ex) {
            throw new EventFormatException("data is not JSON: " + ex.getMessage(), ex);
        }
    }

    /** Reads an envelope. Throws {@link EventFormatException} for anything that is not one. */
    public static CaseEvent decode(String json) {
        return decodeWithEnvelope(json).event();
    }

    /** An envelope read once: the event, and the JSON tree it was read from (every field as sent). */
    public record Decoded(CaseEvent event, ObjectNode envelope) {}

    /** As {@link #decode(String)}, keeping the parsed tree for readers that need the envelope whole. */
    public static Decoded decodeWithEnvelope(String json) {
        if (json == null || json.isBlank()) {
            throw new EventFormatException("empty record");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException ex) {
            throw new EventFormatException("not JSON: " + ex.getMessage(), ex);
        }
        if (root == null || !root.isObject()) {
            throw new EventFormatException("not a JSON object");
        }
        String spec = text(root, "specversion", true);
        if (!SPEC_VERSION.equals(spec)) {
            throw new EventFormatException("unsupported specversion " + spec);
        }
        String contentType = text(root, "datacontenttype", false);
        if (contentType != null && !contentType.startsWith(DATA_CONTENT_TYPE)) {
            throw new EventFormatException("unsupported datacontenttype " + contentType);
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new EventFormatException("data must be a JSON object");
        }
        String actorType = text(root, "actortype", false);
        try {
            return new Decoded(
                    new CaseEvent(
                            uuid(root, "id", true),
                            text(root, "type", true),
                            text(root, "source", true),
                            text(root, "subject", true),
                            OffsetDateTime.parse(text(root, "time", true)).toInstant(),
                            text(root, "dataschema", false),
                            uuid(root, "correlationid", false),
                            uuid(root, "causationid", false),
                            actorType == null ? null : ActorType.fromWire(actorType),
                            text(root, "actorid", false),
                            text(root, "customerid", false),
                            (ObjectNode) data),
                    (ObjectNode) root);
        } catch (DateTimeParseException | IllegalArgumentException ex) {
            throw new EventFormatException("bad attribute: " + ex.getMessage(), ex);
        }
    }

    /**
     * The payload record of a known event type, or empty for a type this reader does not know
     * (consumers skip those). A known type with a newer schema version is an error.
     */
    public static Optional<CasePayload> payload(CaseEvent e) {
        Optional<EventType> type = e.eventType();
        if (type.isEmpty()) {
            return Optional.empty();
        }
        EventType t = type.get();
        int version = schemaVersion(e, t);
        if (version > t.version()) {
            throw new EventFormatException(
                    e.type() + " schema version " + version + " is newer than this reader's " + t.version());
        }
        try {
            return Optional.of(MAPPER.treeToValue(e.data(), t.payloadType()));
        } catch (JsonProcessingException | IllegalArgumentException ex) {
            throw new EventFormatException("bad data for " + e.type() + ": " + ex.getMessage(), ex);
        }
    }

    /** The payload as the given record type; fails if the event is of another type. */
    public static <T extends CasePayload> T payload(CaseEvent e, Class<T> expected) {
        CasePayload p = payload(e).orElseThrow(() -> new EventFormatException("unknown event type " + e.type()));
        if (!expected.isInstance(p)) {
            throw new IllegalArgumentException(
                    "event " + e.id() + " is " + e.type() + ", not " + expected.getSimpleName());
        }
        return expected.cast(p);
    }

    /**
     * The payload as JSON, read back from its text so that the tree is the one a reader of the
     * envelope gets (a {@code Long} field of 12 is then an int node, as it is after decoding).
     */
    static ObjectNode toData(CasePayload payload) {
        try {
            return (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsBytes(payload));
        } catch (IOException ex) {
            throw new IllegalStateException(
                    "cannot write the data of " + payload.getClass().getSimpleName(), ex);
        }
    }

    private static int schemaVersion(CaseEvent e, EventType t) {
        String schema = e.dataschema();
        String prefix = EventType.SCHEMA_PREFIX + t.type().substring(EventType.TYPE_PREFIX.length()) + "/";
        if (schema == null || !schema.startsWith(prefix)) {
            throw new EventFormatException("dataschema " + schema + " does not match type " + e.type());
        }
        try {
            return Integer.parseInt(schema.substring(prefix.length()));
        } catch (NumberFormatException ex) {
            throw new EventFormatException("bad dataschema version in " + schema, ex);
        }
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new EventFormatException("missing attribute " + field);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new EventFormatException("attribute " + field + " must be a string");
        }
        return v.asText();
    }

    private static UUID uuid(JsonNode root, String field, boolean required) {
        String v = text(root, field, required);
        try {
            return v == null ? null : UUID.fromString(v);
        } catch (IllegalArgumentException ex) {
            throw new EventFormatException("attribute " + field + " is not a UUID", ex);
        }
    }

    private static void putIfPresent(ObjectNode n, String field, Object value) {
        if (value != null) {
            n.put(field, value.toString());
        }
    }
}
