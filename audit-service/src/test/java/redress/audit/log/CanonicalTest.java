package redress.audit.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.EventCodec;

/** What the log keeps of an envelope's numbers (docs/audit-log.md, "Numbers an entry cannot hold"). */
class CanonicalTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e400",
                "-1E400",
                "1e-400",
                "12345678901234567890",
                "9007199254740993",
                "0.10000000000000000001",
                "1e99999999999"
            })
    void aNumberADoubleCannotHoldKeepsTheEnvelopesText(String number) throws Exception {
        String received = "{\"specversion\":\"1.0\", \"data\":{\"amount\":" + number + "}}";
        JsonNode kept = Canonical.envelope(EventCodec.mapper().readTree(received), received);
        assertTrue(kept.isTextual(), kept.toString());
        assertEquals(received, kept.textValue());
        // RFC 8785 carries a string unchanged: the record holds the envelope byte for byte.
        var entry = EventCodec.mapper().createObjectNode().set("envelope", kept);
        JsonNode back = EventCodec.mapper().readTree(Canonical.jcs(entry));
        assertEquals(received, back.path("envelope").textValue());
        assertFalse(new String(Canonical.jcs(entry), StandardCharsets.UTF_8).contains("Infinity"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.1",
                "2.5",
                "1e2",
                "1.5e300",
                "-0",
                "-0.0",
                "5e-324",
                "9007199254740992",
                "42",
                "123456789012",
                "1.7976931348623157e308"
            })
    void aNumberADoubleHoldsExactlyKeepsTheEnvelopeAsJson(String number) throws Exception {
        String received = "{\"specversion\":\"1.0\",\"data\":{\"amount\":" + number + ",\"list\":[1,2]}}";
        JsonNode parsed = EventCodec.mapper().readTree(received);
        JsonNode kept = Canonical.envelope(parsed, received);
        assertTrue(kept.isObject(), kept.toString());
        assertEquals(parsed, kept);
    }
}
