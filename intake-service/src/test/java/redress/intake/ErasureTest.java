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
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import javax.crypto.SecretKey;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CustomerSeal;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.events.payload.CustomerErased;
import redress.intake.customer.CustomerKeysConfig;
import redress.intake.customer.CustomerSealing;
import redress.testsupport.KafkaTestClient;

/**
 * Erasure in intake-service, the one service that holds customers' data keys: after
 * {@code POST /customers/{id}/erasure} the name and contact read as erased through every endpoint
 * that shows a case, the key is gone from the database when the request answers (the bound:
 * nothing in Redress keeps a copy), each case gets a {@code customer.erased} event, and the
 * customer's records on the topic, replayed from the beginning, open with the key Redress holds
 * before the erasure and with no key it holds after. A new complaint from the same customer id
 * gets a new key and reads in clear; the old cases stay erased. Rows an older intake stored in
 * clear (a rolling update) are erased with the customer, and sealing them never re-keys an erased
 * customer.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class ErasureTest {

    @Inject
    DataSource ds;

    @Inject
    CustomerKeysConfig config;

    @Inject
    CustomerSealing sealing;

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
        given().get("/complaints/" + first)
                .then()
                .statusCode(200)
                .body("customer.name", is("Ada Lovelace"))
                .body("customer.email", is("ada@example.org"))
                .body("customer.erased", is(false));

        // Before the erasure the customer's records on the topic are theirs: the key Redress holds opens them.
        List<Customer> published = publishedCustomers(customer, 2);
        for (Customer sealed : published) {
            assertEquals("Ada Lovelace", open(sealed).orElseThrow().name(), sealed.toString());
        }

        Api.post("/customers/" + customer + "/erasure", erasure("customer asked, GDPR Art. 17"))
                .statusCode(200)
                .body("customerId", is(customer))
                .body("keyId", is(customer + ":1"))
                .body("cases", is(2));

        // The bound: the key is destroyed in the transaction that answered; no other copy exists.
        assertNull(wrappedKey(customer), "the data key is gone when the erasure answers");

        for (UUID id : List.of(first, second)) {
            given().get("/complaints/" + id)
                    .then()
                    .statusCode(200)
                    .body("customer.id", is(customer))
                    .body("customer.erased", is(true))
                    .body("customer.name", nullValue())
                    .body("customer.email", nullValue())
                    .body("customer.phone", nullValue())
                    .body("summary", is("Charged twice"));
        }
        given().get("/customers/" + customer + "/complaints")
                .then()
                .statusCode(200)
                .body("items.customer.erased", everyItem(is(true)))
                .body("items.customer.name", everyItem(nullValue()));
        given().queryParam("customerId", customer)
                .get("/complaints")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items.customer.name", everyItem(nullValue()));
        Api.post("/complaints/" + first + "/status", "{\"status\":\"IN_PROGRESS\"}")
                .statusCode(200)
                .body("customer.erased", is(true))
                .body("customer.name", nullValue());
        given().get("/complaints/" + control)
                .then()
                .body("customer.name", is("Ada Lovelace"))
                .body("customer.erased", is(false));

        // Each case's history says so: one customer.erased per case, by the supervisor, with the reason.
        for (UUID id : List.of(first, second)) {
            List<CaseEvent> events = Api.awaitEvents(id, 2);
            CaseEvent erased = events.stream()
                    .filter(e -> e.type().equals("redress.customer.erased"))
                    .findFirst()
                    .orElseThrow();
            CustomerErased p = EventCodec.payload(erased, CustomerErased.class);
            assertEquals(customer + ":1", p.keyId());
            assertEquals("REQUEST", p.trigger());
            assertEquals("customer asked, GDPR Art. 17", p.reason());
            assertEquals(ActorType.AGENT, erased.actortype());
            assertEquals(customer, erased.customerid());
        }

        // A replay of the topic from the beginning: the customer's records hold only cipher text,
        // and the same records no key that Redress holds opens any more.
        List<KafkaTestClient.Received> replay =
                Api.KAFKA.readAll(Topics.CASE_EVENTS, r -> r.value().contains(customer));
        assertTrue(replay.size() >= 4, replay.toString());
        for (KafkaTestClient.Received r : replay) {
            assertFalse(Api.showsPersonalData(r.value()), r.value());
        }
        assertEquals(Set.copyOf(published), Set.copyOf(publishedCustomers(customer, 2)));
        for (Customer sealed : published) {
            assertEquals(Optional.empty(), open(sealed), "a key Redress holds still opens " + sealed);
        }

        // Erasing again changes nothing; an unknown customer is 404; a reason is required.
        Api.post("/customers/" + customer + "/erasure", erasure("again"))
                .statusCode(409)
                .contentType("application/problem+json");
        Api.post("/customers/" + Api.newCustomer() + "/erasure", erasure("who?"))
                .statusCode(404);
        Api.post("/customers/" + other + "/erasure", erasure(null)).statusCode(400);
        Api.post("/customers/" + other + "/erasure", erasure("  ")).statusCode(400);

        // The same customer id complains again: a new key (version 2), readable; the old cases stay erased.
        UUID third = Api.newCase(customer);
        given().get("/complaints/" + third)
                .then()
                .statusCode(200)
                .body("customer.name", is("Ada Lovelace"))
                .body("customer.erased", is(false))
                .body("earlierComplaints", hasSize(2));
        given().get("/complaints/" + first).then().body("customer.erased", is(true));
        ComplaintReceived received =
                EventCodec.payload(Api.awaitEvents(third, 1).get(0), ComplaintReceived.class);
        assertEquals(customer + ":2", received.customer().kid());
        given().get("/customers/" + customer + "/complaints")
                .then()
                .body("items.customer.erased", contains(false, true, true));

        // ... and that key is erased in turn, leaving the earlier erasure as it was.
        Api.post("/customers/" + customer + "/erasure", erasure("asked again"))
                .statusCode(200)
                .body("keyId", is(customer + ":2"))
                .body("cases", is(1));
        given().get("/complaints/" + third).then().body("customer.erased", is(true));
    }

    /** A case stored in clear before this version is sealed (at start) and then erased like any other. */
    @Test
    void aCaseStoredInClearBeforeEncryptionIsSealedAndErasable() throws Exception {
        String customer = Api.newCustomer();
        UUID id = storeInClear(customer);
        sealStoredInClear();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT customer_name, customer_email, customer_kid FROM complaint WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertNull(rs.getString(1));
                assertNull(rs.getString(2));
                assertEquals(customer + ":1", rs.getString(3));
            }
        }
        given().get("/complaints/" + id)
                .then()
                .statusCode(200)
                .body("customer.name", is("Old Name"))
                .body("customer.email", is("old@example.org"));
        Api.post("/customers/" + customer + "/erasure", erasure("legacy"))
                .statusCode(200)
                .body("cases", is(1));
        given().get("/complaints/" + id)
                .then()
                .body("customer.erased", is(true))
                .body("customer.name", nullValue());
    }

    /**
     * During a rolling update a replica still at the version before sealing stores its cases with
     * the name and contact in clear. An erasure that comes before the next start has sealed them
     * erases them too: their clear columns are emptied, they read as erased and each gets its
     * {@code customer.erased}.
     */
    @Test
    void aCaseAnOlderIntakeStoredInClearIsErasedWithItsCustomer() throws Exception {
        String customer = Api.newCustomer();
        UUID sealed = Api.newCase(customer);
        UUID clear = storeInClear(customer);

        Api.post("/customers/" + customer + "/erasure", erasure("GDPR Art. 17"))
                .statusCode(200)
                .body("keyId", is(customer + ":1"))
                .body("cases", is(2));

        assertEquals(List.of(), clearColumns(clear), "the name and contact stored in clear are gone");
        for (UUID id : List.of(sealed, clear)) {
            given().get("/complaints/" + id)
                    .then()
                    .body("customer.erased", is(true))
                    .body("customer.name", nullValue());
        }
        assertTrue(Api.types(Api.awaitEvents(clear, 1)).contains("redress.customer.erased"));
    }

    /** A customer seen only in rows an older intake stored in clear is a customer too: erasable, not 404. */
    @Test
    void aCustomerKnownOnlyFromRowsStoredInClearIsErasable() throws Exception {
        String customer = Api.newCustomer();
        UUID clear = storeInClear(customer);

        Api.post("/customers/" + customer + "/erasure", erasure("GDPR Art. 17"))
                .statusCode(200)
                .body("cases", is(1));

        assertEquals(List.of(), clearColumns(clear));
        given().get("/complaints/" + clear).then().body("customer.erased", is(true));
        assertNull(wrappedKey(customer), "no key was made for data being erased");
        // Sealing (the next start) finds nothing to seal and makes no key.
        sealStoredInClear();
        assertNull(wrappedKey(customer));
    }

    /**
     * A row an older intake stored in clear after the erasure (the rolling update still going) is
     * erased by the sealing at the next start, not sealed under a fresh key: an erased customer
     * stays erased. A complaint through this version still gets the next key, as before.
     */
    @Test
    void sealingNeverReKeysAnErasedCustomer() throws Exception {
        String customer = Api.newCustomer();
        UUID first = Api.newCase(customer);
        Api.post("/customers/" + customer + "/erasure", erasure("GDPR Art. 17")).statusCode(200);
        UUID clear = storeInClear(customer);

        sealStoredInClear();

        assertNull(wrappedKey(customer), "the erased customer was given a fresh key");
        assertEquals(1, keyVersion(customer));
        assertEquals(List.of(), clearColumns(clear));
        for (UUID id : List.of(first, clear)) {
            given().get("/complaints/" + id)
                    .then()
                    .body("customer.erased", is(true))
                    .body("customer.name", nullValue());
        }

        UUID next = Api.newCase(customer);
        given().get("/complaints/" + next)
                .then()
                .body("customer.erased", is(false))
                .body("customer.name", is("Ada Lovelace"));
        assertEquals(2, keyVersion(customer));
        given().get("/complaints/" + clear).then().body("customer.erased", is(true));
    }

    /** A case as an intake before per-customer encryption inserts it: name and contact in clear, no key id. */
    private UUID storeInClear(String customer) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO complaint (id, reference, "
                                + "customer_id, customer_name, customer_email, customer_phone, channel, category, summary, severity, level, "
                                + "status, regulatory_profile, submitted_by, received_at, updated_at) VALUES (?, ?, ?, 'Old Name', "
                                + "'old@example.org', NULL, 'EMAIL', 'billing', 'legacy', 'LOW', 'AGENT', 'OPEN', 'DEFAULT', 'test-crm', now(), now())")) {
            ps.setObject(1, id);
            ps.setString(2, "CMP-1999-" + id.toString().substring(0, 6));
            ps.setString(3, customer);
            ps.executeUpdate();
        }
        return id;
    }

    /** What the next start does: every row still in clear sealed (or erased), a page per transaction. */
    private void sealStoredInClear() {
        sealing.sealAll();
    }

    /** The case's name and e-mail columns that are not null. */
    private List<String> clearColumns(UUID id) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT customer_name, customer_email FROM complaint WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return Stream.of(rs.getString(1), rs.getString(2))
                        .filter(v -> v != null)
                        .toList();
            }
        }
    }

    private int keyVersion(String customer) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT version FROM customer_key WHERE customer_id = ?")) {
            ps.setString(1, customer);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the customer has a key row");
                return rs.getInt(1);
            }
        }
    }

    /** The sealed customers of the customer's complaint.received records on the topic, once there are {@code n}. */
    private List<Customer> publishedCustomers(String customer, int n) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> Api.KAFKA
                                .readAll(Topics.CASE_EVENTS, r -> r.value().contains(customer))
                                .stream()
                                .map(KafkaTestClient.Received::event)
                                .filter(e -> e.type().equals("redress.complaint.received"))
                                .map(e -> EventCodec.payload(e, ComplaintReceived.class)
                                        .customer())
                                .toList(),
                        l -> l.size() >= n);
    }

    /** The customer opened with the data key that the database holds for its key id, unwrapped with the KEK; empty without one. */
    private Optional<Customer> open(Customer sealed) throws Exception {
        String[] kid = sealed.kid().split(":(?=[0-9]+$)");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT wrapped_key FROM customer_key WHERE customer_id = ? AND version = ? AND wrapped_key IS NOT NULL")) {
            ps.setString(1, kid[0]);
            ps.setInt(2, Integer.parseInt(kid[1]));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SecretKey kek =
                        CustomerSeal.key(Base64.getDecoder().decode(config.kek().trim()));
                return Optional.of(CustomerSeal.open(sealed, CustomerSeal.unwrap(rs.getBytes(1), kek, sealed.kid())));
            }
        }
    }

    private String wrappedKey(String customer) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT wrapped_key, erased_at FROM customer_key WHERE customer_id = ?")) {
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
