package redress.audit.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An event as the log holds it, read back from an entry's canonical bytes (the record itself, not
 * a copy): its type, subject (the case), the event's time and its payload ({@code data}), numbers
 * read exactly.
 */
public record LoggedEvent(long seq, String type, String subject, Instant time, JsonNode data) {

    /** Reads an entry's envelope kept as text (numbers beyond a double) with exact numbers. */
    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The event of entry {@code seq}, from its canonical bytes. */
    public static LoggedEvent of(long seq, byte[] canonical) {
        try {
            JsonNode entry = EXACT.readTree(canonical);
            JsonNode envelope = entry.path("envelope");
            if (envelope.isTextual()) {
                envelope = EXACT.readTree(envelope.asText());
            }
            return new LoggedEvent(
                    seq,
                    entry.path("type").asText(),
                    entry.path("caseId").asText(),
                    Instant.parse(entry.path("eventTime").asText()),
                    envelope.path("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("entry " + seq + " cannot be read", e);
        }
    }
}
