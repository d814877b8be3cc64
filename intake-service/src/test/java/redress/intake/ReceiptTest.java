package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.EventCodec;
import redress.events.RegulatoryProfiles;
import redress.events.payload.ComplaintReceived;

/**
 * The firm's receipt comes from the source (a letter's date stamp, a call's time): regulators count
 * from it, not from the moment intake-service was called. Both are kept and published.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class ReceiptTest {

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void reset() {
        clock.reset();
    }

    static String withReceipt(String customer, String receivedAt) {
        return Api.complaintJson(customer)
                .replace(
                        "\"externalReference\":\"CRM-1\"",
                        "\"externalReference\":\"CRM-1\",\"receivedAt\":\"" + receivedAt + "\"");
    }

    @Test
    void aLetterStampedLastYearIsAReceiptOfLastYear() {
        // Registered on 2 January 2027, the letter was date-stamped on 31 December 2026 at 15:00.
        Instant registered = Instant.parse("2027-01-02T09:30:00.123456Z");
        clock.set(registered);
        String customer = Api.newCustomer();
        String id = Api.submit(withReceipt(customer, "2026-12-31T15:00:00Z"))
                .statusCode(201)
                .body("receivedAt", is("2026-12-31T15:00:00Z"))
                .body("registeredAt", is("2027-01-02T09:30:00.123456Z"))
                .body("reference", startsWith("CMP-2026-"))
                .extract()
                .path("id");
        given().get("/complaints/" + id)
                .then()
                .statusCode(200)
                .body("receivedAt", is("2026-12-31T15:00:00Z"))
                .body("registeredAt", is("2027-01-02T09:30:00.123456Z"));

        ComplaintReceived p =
                EventCodec.payload(Api.awaitEvents(UUID.fromString(id), 1).get(0), ComplaintReceived.class);
        assertEquals(Instant.parse("2026-12-31T15:00:00Z"), p.receivedAt());
        assertEquals(registered, p.registeredAt());
    }

    @Test
    void withoutAReceiptTheCallIsTheReceipt() {
        String id = Api.submit(Api.complaintJson(Api.newCustomer()))
                .statusCode(201)
                .extract()
                .path("id");
        String received = given().get("/complaints/" + id).then().extract().path("receivedAt");
        String registered = given().get("/complaints/" + id).then().extract().path("registeredAt");
        assertEquals(received, registered);
        ComplaintReceived p =
                EventCodec.payload(Api.awaitEvents(UUID.fromString(id), 1).get(0), ComplaintReceived.class);
        assertEquals(p.receivedAt(), p.registeredAt());
    }

    @Test
    void anOffsetIsReadAsTheSameMomentAndStoredToTheMicrosecond() {
        clock.set(Instant.parse("2026-11-23T12:00:00Z"));
        Api.submit(withReceipt(Api.newCustomer(), "2026-11-20T09:15:30.1234567+01:00"))
                .statusCode(201)
                .body("receivedAt", is("2026-11-20T08:15:30.123456Z"));
    }

    @Test
    void aReceiptSlightlyAheadOfOurClockIsTakenAsNow() {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        clock.set(now);
        Api.submit(withReceipt(
                        Api.newCustomer(), now.plus(Duration.ofMinutes(4)).toString()))
                .statusCode(201)
                .body("receivedAt", is(now.toString()))
                .body("registeredAt", is(now.toString()));
    }

    @Test
    void receiptsTooFarAheadOrTooOldAreRefusedAndNothingIsWritten() {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        clock.set(now);
        Map<String, Long> before = DbSnapshot.take(dataSource);
        String customer = Api.newCustomer();
        BadInputTest.invalidField(
                        Api.submit(withReceipt(
                                customer, now.plus(Duration.ofMinutes(6)).toString())),
                        "receivedAt")
                .body("errors.message", hasItem(containsString("future")));
        BadInputTest.invalidField(
                        Api.submit(withReceipt(
                                customer, now.minus(Duration.ofDays(366)).toString())),
                        "receivedAt")
                .body("errors.message", hasItem(containsString("365 days")));
        BadInputTest.invalidField(Api.submit(withReceipt(customer, "last tuesday")), "receivedAt");
        BadInputTest.invalidField(Api.submit(withReceipt(customer, "2026-11-20")), "receivedAt");
        // With a key the receipt is still checked first, like the rest of the body.
        BadInputTest.invalidField(
                SubmissionTest.submitWithKey("r-" + UUID.randomUUID(), withReceipt(customer, "+10000-01-01T00:00:00Z")),
                "receivedAt");
        assertEquals(before, DbSnapshot.take(dataSource));
        // The bounds themselves are accepted.
        Api.submit(withReceipt(customer, now.minus(Duration.ofDays(365)).toString()))
                .statusCode(201);
    }

    @Test
    void theReceiptIsPartOfTheIdempotentBody() {
        String customer = Api.newCustomer();
        String key = "r-" + UUID.randomUUID();
        String id = SubmissionTest.submitWithKey(key, withReceipt(customer, "2026-11-20T08:00:00Z"))
                .statusCode(201)
                .extract()
                .path("id");
        // The same moment written with another offset is the same body.
        SubmissionTest.submitWithKey(key, withReceipt(customer, "2026-11-20T09:00:00+01:00"))
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("id", is(id));
        SubmissionTest.submitWithKey(key, withReceipt(customer, "2026-11-20T08:00:01Z"))
                .statusCode(422)
                .body("type", is("urn:redress:problem:idempotency-key-reused"));
        SubmissionTest.submitWithKey(key, Api.complaintJson(customer)).statusCode(422);
    }

    @Test
    void earlierComplaintsAreTheOnesReceivedBeforeAndListsPageByRegistration() {
        String customer = Api.newCustomer();
        clock.set(Instant.parse("2026-11-23T12:00:00Z"));
        String recent = Api.submit(withReceipt(customer, "2026-11-22T10:00:00Z"))
                .statusCode(201)
                .extract()
                .path("id");
        clock.set(Instant.parse("2026-11-23T12:05:00Z"));
        // Registered later, received earlier: the recent one is not an earlier complaint of it ...
        String backdated = Api.submit(withReceipt(customer, "2026-11-01T10:00:00Z"))
                .statusCode(201)
                .body("earlierComplaints", empty())
                .extract()
                .path("id");
        // ... but it is one of the recent one's, and the event counts every complaint on record.
        given().get("/complaints/" + recent).then().body("earlierComplaints.id", contains(backdated));
        assertEquals(
                1,
                EventCodec.payload(
                                Api.awaitEvents(UUID.fromString(backdated), 1).get(0), ComplaintReceived.class)
                        .earlierComplaints());

        // Newest registration first: a page walk handed out before the backdated one still sees it.
        given().get("/complaints?customerId=" + customer).then().body("items.id", contains(backdated, recent));
        String next = given().get("/complaints?customerId=" + customer + "&limit=1")
                .then()
                .body("items.id", contains(backdated))
                .extract()
                .path("next");
        given().get("/complaints?customerId=" + customer + "&limit=1&after=" + next)
                .then()
                .body("items.id", contains(recent))
                .body("next", nullValue());
    }

    @Test
    void everyConfiguredProfileIsAccepted() {
        assertEquals(8, RegulatoryProfiles.ALL.size(), RegulatoryProfiles.ALL.toString());
        for (String profile : RegulatoryProfiles.ALL) {
            Api.submit(Api.complaintJsonWithProfile(profile)).statusCode(201).body("regulatoryProfile", is(profile));
        }
    }
}
