package redress.intake.complaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import redress.events.Channel;
import redress.events.Severity;

/** The Idempotency-Key's body hash: what a new optional field may and may not change. */
class CanonicalHashTest {

    static final SubmitComplaint.CustomerDetails CUSTOMER =
            new SubmitComplaint.CustomerDetails("C-1", "Ada", null, null);

    static SubmitComplaint request(Instant receivedAt) {
        return new SubmitComplaint(
                CUSTOMER,
                Channel.EMAIL,
                "billing",
                null,
                "Charged twice",
                null,
                Severity.HIGH,
                null,
                "CRM-1",
                receivedAt);
    }

    /** The canonical form as it was before receivedAt existed: every field, nulls included, keys sorted. */
    static String hashWithoutTheReceiptField() throws Exception {
        Map<String, Object> customer = new TreeMap<>();
        customer.put("id", "C-1");
        customer.put("name", "Ada");
        customer.put("email", null);
        customer.put("phone", null);
        Map<String, Object> body = new TreeMap<>();
        body.put("customer", customer);
        body.put("channel", "EMAIL");
        body.put("category", "billing");
        body.put("product", null);
        body.put("summary", "Charged twice");
        body.put("description", null);
        body.put("severity", "HIGH");
        body.put("regulatoryProfile", null);
        body.put("externalReference", "CRM-1");
        byte[] canonical = new ObjectMapper().writeValueAsBytes(new LinkedHashMap<>(body));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    }

    @Test
    void aBodyWithoutAReceiptHashesAsBeforeTheFieldExisted() throws Exception {
        // Keys remembered before the upgrade (kept 7 days) must still match a retry of the same body.
        assertEquals(hashWithoutTheReceiptField(), ComplaintIntake.hash(request(null)));
    }

    @Test
    void aReceiptIsComparedAsAMoment() {
        Instant t = Instant.parse("2026-11-20T08:00:00Z");
        assertEquals(
                ComplaintIntake.hash(request(t)),
                ComplaintIntake.hash(request(java.time.OffsetDateTime.parse("2026-11-20T09:00:00+01:00")
                        .toInstant())));
        assertNotEquals(ComplaintIntake.hash(request(t)), ComplaintIntake.hash(request(t.plusSeconds(1))));
        assertNotEquals(ComplaintIntake.hash(request(t)), ComplaintIntake.hash(request(null)));
    }

    @Test
    void theStoredReceiptIsNeverAfterTheRegistration() {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        assertEquals(now, ComplaintIntake.receipt(null, now));
        assertEquals(now, ComplaintIntake.receipt(now.plusSeconds(90), now));
        assertEquals(
                Instant.parse("2026-11-20T08:00:00.123456Z"),
                ComplaintIntake.receipt(Instant.parse("2026-11-20T08:00:00.1234567Z"), now));
        assertEquals("365 days", ComplaintIntake.words(java.time.Duration.parse("P365D")));
        assertEquals("5 minutes", ComplaintIntake.words(java.time.Duration.parse("PT5M")));
        assertEquals(
                "PT1H30M",
                ComplaintIntake.words(java.time.Duration.parse("PT1H30M")).replace("90 minutes", "PT1H30M"));
    }
}
