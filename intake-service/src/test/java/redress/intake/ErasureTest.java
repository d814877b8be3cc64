package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.CustomerErased;
import redress.testsupport.KafkaTestClient;

/**
 * Erasure in intake-service, the one service that holds customers' data keys: after
 * {@code POST /customers/{id}/erasure} the name and contact read as erased through every endpoint
 * that shows a case, the key is gone from the database when the request answers (the bound:
 * nothing in Redress keeps a copy), each case gets a {@code customer.erased} event, and the
 * topic replayed from the beginning holds only cipher text for the customer. A new complaint from
 * the same customer id gets a new key and reads in clear; the old cases stay erased.
 */
@QuarkusTest
@TestSecurity(user = "test-crm", roles = { "complaint-submitter", "agent", "supervisor", "operator" })
class ErasureTest {

    @Inject
    DataSource ds;

    static String erasure(String reason) {
        return reason == null ? "{}" : "{\"reason\":\"" + reason + "\"}";
    }

    @Test
    void erasureMakesTheCustomerUnreadableEverywhereAndANewComplaintGetsANewKey() throws Exception {
        String customer = Api.newCustomer();
        String other = Api.newCustomer();
        UUID first = Api.newCase(customer);
        UUID second = Api.newCase(customer);
        UUID control = Api.newCase(other);
        given().get("/complaints/" + first).then().statusCode(200)
                .body("customer.name", is("Ada Lovelace")).body("customer.email", is("ada@example.org"))
                .body("customer.erased", is(false));

        Api.post("/customers/" + customer + "/erasure", erasure("customer asked, GDPR Art. 17")).statusCode(200)
                .body("customerId", is(customer)).body("keyId", is(customer + ":1")).body("cases", is(2));

        // The bound: the key is destroyed in the transaction that answered; no other copy exists.
        assertNull(wrappedKey(customer), "the data key is gone when the erasure answers");

        for (UUID id : List.of(first, second)) {
            given().get("/complaints/" + id).then().statusCode(200)
                    .body("customer.id", is(customer)).body("customer.erased", is(true))
                    .body("customer.name", nullValue()).body("customer.email", nullValue()).body("customer.phone", nullValue())
                    .body("summary", is("Charged twice"));
        }
        given().get("/customers/" + customer + "/complaints").then().statusCode(200)
                .body("items.customer.erased", everyItem(is(true))).body("items.customer.name", everyItem(nullValue()));
        given().queryParam("customerId", customer).get("/complaints").then().statusCode(200)
                .body("items", hasSize(2)).body("items.customer.name", everyItem(nullValue()));
        Api.post("/complaints/" + first + "/status", "{\"status\":\"IN_PROGRESS\"}").statusCode(200)
                .body("customer.erased", is(true)).body("customer.name", nullValue());
        given().get("/complaints/" + control).then().body("customer.name", is("Ada Lovelace")).body("customer.erased", is(false));

        // Each case's history says so: one customer.erased per case, by the supervisor, with the reason.
        for (UUID id : List.of(first, second)) {
            List<CaseEvent> events = Api.awaitEvents(id, 2);
            CaseEvent erased = events.stream().filter(e -> e.type().equals("redress.customer.erased")).findFirst().orElseThrow();
            CustomerErased p = EventCodec.payload(erased, CustomerErased.class);
            assertEquals(customer + ":1", p.keyId());
            assertEquals("REQUEST", p.trigger());
            assertEquals("customer asked, GDPR Art. 17", p.reason());
            assertEquals(ActorType.AGENT, erased.actortype());
            assertEquals(customer, erased.customerid());
        }

        // A replay of the topic from the beginning: the customer's records hold only cipher text.
        List<KafkaTestClient.Received> replay = Api.KAFKA.readAll(Topics.CASE_EVENTS, r -> r.value().contains(customer));
        assertTrue(replay.size() >= 4, replay.toString());
        for (KafkaTestClient.Received r : replay) {
            assertFalse(Api.showsPersonalData(r.value()), r.value());
        }

        // Erasing again changes nothing; an unknown customer is 404; a reason is required.
        Api.post("/customers/" + customer + "/erasure", erasure("again")).statusCode(409)
                .contentType("application/problem+json");
        Api.post("/customers/" + Api.newCustomer() + "/erasure", erasure("who?")).statusCode(404);
        Api.post("/customers/" + other + "/erasure", erasure(null)).statusCode(400);
        Api.post("/customers/" + other + "/erasure", erasure("  ")).statusCode(400);

        // The same customer id complains again: a new key (version 2), readable; the old cases stay erased.
        UUID third = Api.newCase(customer);
        given().get("/complaints/" + third).then().statusCode(200)
                .body("customer.name", is("Ada Lovelace")).body("customer.erased", is(false))
                .body("earlierComplaints", hasSize(2));
        given().get("/complaints/" + first).then().body("customer.erased", is(true));
        ComplaintReceived received = EventCodec.payload(Api.awaitEvents(third, 1).get(0), ComplaintReceived.class);
        assertEquals(customer + ":2", received.customer().kid());
        given().get("/customers/" + customer + "/complaints").then()
                .body("items.customer.erased", contains(false, true, true));

        // ... and that key is erased in turn, leaving the earlier erasure as it was.
        Api.post("/customers/" + customer + "/erasure", erasure("asked again")).statusCode(200)
                .body("keyId", is(customer + ":2")).body("cases", is(1));
        given().get("/complaints/" + third).then().body("customer.erased", is(true));
    }

    @Inject
    redress.intake.customer.CustomerSealing sealing;

    /** A case stored in clear before this version is sealed (at start) and then erased like any other. */
    @Test
    void aCaseStoredInClearBeforeEncryptionIsSealedAndErasable() throws Exception {
        String customer = Api.newCustomer();
        UUID id = UUID.randomUUID();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO complaint (id, reference, "
                + "customer_id, customer_name, customer_email, customer_phone, channel, category, summary, severity, level, "
                + "status, regulatory_profile, submitted_by, received_at, updated_at) VALUES (?, ?, ?, 'Old Name', "
                + "'old@example.org', NULL, 'EMAIL', 'billing', 'legacy', 'LOW', 'AGENT', 'OPEN', 'DEFAULT', 'test-crm', now(), now())")) {
            ps.setObject(1, id);
            ps.setString(2, "CMP-1999-" + id.toString().substring(0, 6));
            ps.setString(3, customer);
            ps.executeUpdate();
        }
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(sealing::sealBatch);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT customer_name, customer_email, customer_kid FROM complaint WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertNull(rs.getString(1));
                assertNull(rs.getString(2));
                assertEquals(customer + ":1", rs.getString(3));
            }
        }
        given().get("/complaints/" + id).then().statusCode(200).body("customer.name", is("Old Name"))
                .body("customer.email", is("old@example.org"));
        Api.post("/customers/" + customer + "/erasure", erasure("legacy")).statusCode(200).body("cases", is(1));
        given().get("/complaints/" + id).then().body("customer.erased", is(true)).body("customer.name", nullValue());
    }

    private String wrappedKey(String customer) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT wrapped_key, erased_at FROM customer_key WHERE customer_id = ?")) {
            ps.setString(1, customer);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the customer has a key row");
                assertTrue(rs.getTimestamp(2) != null, "erased_at is set");
                byte[] b = rs.getBytes(1);
                return b == null ? null : "present";
            }
        }
    }
}
