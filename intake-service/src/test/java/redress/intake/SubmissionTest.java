package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.ComplaintReceived;
import redress.testsupport.KafkaTestClient;

@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class SubmissionTest {

    /** Submits {@code json} under the idempotency key {@code key}. */
    static ValidatableResponse submitWithKey(String key, String json) {
        return given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(json)
                .post("/complaints")
                .then();
    }

    @Test
    void acceptedComplaintBecomesACaseAndAnEventKeyedByItsId() {
        String customer = Api.newCustomer();
        Response r = given().contentType(ContentType.JSON)
                .body(Api.complaintJson(customer))
                .post("/complaints");
        r.then()
                .statusCode(201)
                .header("Location", endsWith("/complaints/" + r.path("id")))
                .body("reference", matchesPattern("CMP-\\d{4}-\\d{6}"))
                .body("status", is("OPEN"))
                .body("severity", is("HIGH"))
                .body("level", is("AGENT"))
                .body("assignee", nullValue())
                .body("category", is("Billing"))
                .body("customer.id", is(customer))
                .body("customer.name", is("Ada Lovelace"))
                .body("submittedBy", is("test-crm"))
                .body("earlierComplaints", empty())
                .body("links.customerComplaints", is("/customers/" + customer + "/complaints"));
        UUID id = UUID.fromString(r.path("id"));

        given().get("/complaints/" + id).then().statusCode(200).body("reference", is((String) r.path("reference")));

        List<KafkaTestClient.Received> records = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Api.KAFKA.caseRecords(Topics.CASE_EVENTS, id), l -> !l.isEmpty());
        assertEquals(1, records.size());
        KafkaTestClient.Received rec = records.get(0);
        assertEquals(id.toString(), rec.key());
        assertEquals(
                "application/cloudevents+json; charset=UTF-8", rec.headers().get("content-type"));
        CaseEvent e = rec.event();
        assertEquals("redress.complaint.received", e.type());
        assertEquals("/intake-service", e.source());
        assertEquals(id.toString(), e.subject());
        assertEquals(ActorType.INTEGRATION, e.actortype());
        assertEquals("test-crm", e.actorid(), "the actor is the token's subject");
        assertEquals(customer, e.customerid());
        assertEquals("redress:complaint.received/2", e.dataschema());
        ComplaintReceived p = EventCodec.payload(e, ComplaintReceived.class);
        assertEquals(r.path("reference"), p.reference());
        // Name and contact travel sealed with the customer's key (docs/security.md); the id stays clear.
        assertTrue(p.customer().isSealed());
        assertEquals(customer, p.customer().id());
        assertEquals(customer + ":1", p.customer().kid());
        assertTrue(p.customer().name() == null
                && p.customer().email() == null
                && p.customer().phone() == null);
        assertFalse(Api.showsPersonalData(rec.value()), rec.value());
        assertEquals("UK_FCA_DISP", p.regulatoryProfile());
        assertEquals(0, p.earlierComplaints());
    }

    @Test
    void severityDefaultsToMediumAndProfileToDefault() {
        String json = """
                {"customer":{"id":"%s"},"channel":"WEB","category":"delivery","summary":"Parcel lost"}
                """.formatted(Api.newCustomer());
        Api.submit(json).statusCode(201).body("severity", is("MEDIUM")).body("regulatoryProfile", is("DEFAULT"));
    }

    @Test
    void referencesAreSequentialWithinTheYear() {
        String a = Api.submit(Api.complaintJson(Api.newCustomer()))
                .statusCode(201)
                .extract()
                .path("reference");
        String b = Api.submit(Api.complaintJson(Api.newCustomer()))
                .statusCode(201)
                .extract()
                .path("reference");
        int na = Integer.parseInt(a.substring(9));
        int nb = Integer.parseInt(b.substring(9));
        assertEquals(a.substring(0, 9), b.substring(0, 9));
        assertTrue(nb > na, a + " then " + b);
    }

    @Test
    void aRepeatComplainantsCaseLinksTheirEarlierComplaints() {
        String customer = Api.newCustomer();
        UUID first = Api.newCase(customer);
        UUID second = Api.newCase(customer);
        Api.submit(Api.complaintJson(customer))
                .statusCode(201)
                .body("earlierComplaints.id", contains(second.toString(), first.toString()))
                .body("earlierComplaints[0].href", is("/complaints/" + second));
        given().get("/customers/" + customer + "/complaints")
                .then()
                .statusCode(200)
                .body("items", hasSize(3));
        List<CaseEvent> events = Api.awaitEvents(second, 1);
        assertEquals(
                1, EventCodec.payload(events.get(0), ComplaintReceived.class).earlierComplaints());
    }

    @Test
    void replayWithTheSameKeyAnswersTheOriginalCase() {
        String key = UUID.randomUUID().toString();
        String customer = Api.newCustomer();
        String json = Api.complaintJson(customer);
        String id = submitWithKey(key, json)
                .statusCode(201)
                .header("Idempotent-Replayed", nullValue())
                .extract()
                .path("id");
        // Same JSON, other key order and layout: compared after parsing.
        String reordered = """
                {"externalReference":"CRM-1","regulatoryProfile":"UK_FCA_DISP","severity":"HIGH",
                "description":"Two debits for one purchase on the 3rd.","summary":"Charged twice",
                "product":"Current account","category":" Billing ","channel":"EMAIL",
                "customer":{"phone":"+44 20 7946 0000","email":"ada@example.org","name":"Ada Lovelace","id":"%s"}}
                """.formatted(customer);
        submitWithKey(key, reordered)
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/complaints/" + id))
                .body("id", is(id));

        given().get("/customers/" + customer + "/complaints").then().body("items", hasSize(1));
        assertEquals(1, Api.awaitEvents(UUID.fromString(id), 1).size());
    }

    @Test
    void sameKeyWithADifferentBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        String customer = Api.newCustomer();
        submitWithKey(key, Api.complaintJson(customer)).statusCode(201);
        submitWithKey(key, Api.complaintJson(customer).replace("Charged twice", "Charged three times"))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", is("urn:redress:problem:idempotency-key-reused"))
                .body("detail", containsString(key));
        given().get("/customers/" + customer + "/complaints").then().body("items", hasSize(1));
    }

    @Test
    void concurrentRetriesWithOneKeyMakeOneCase() throws Exception {
        String key = UUID.randomUUID().toString();
        String customer = Api.newCustomer();
        String json = Api.complaintJson(customer);
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(() -> given().contentType(ContentType.JSON)
                        .header("Idempotency-Key", key)
                        .body(json)
                        .post("/complaints"));
            }
            Set<String> ids = new HashSet<>();
            int replayed = 0;
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response r = f.get();
                assertEquals(201, r.statusCode(), r.asString());
                ids.add(r.path("id"));
                if ("true".equals(r.header("Idempotent-Replayed"))) {
                    replayed++;
                }
            }
            assertEquals(1, ids.size(), "one case for one key");
            assertEquals(n - 1, replayed);
        } finally {
            pool.shutdownNow();
        }
        given().get("/customers/" + customer + "/complaints").then().body("items", hasSize(1));
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    @jakarta.inject.Inject
    redress.intake.complaint.IdempotencyKeyExpiry expiry;

    @Test
    void anExpiredKeyIsForgottenAndItsCaseKept() throws Exception {
        String key = "old-" + UUID.randomUUID();
        String customer = Api.newCustomer();
        String first = submitWithKey(key, Api.complaintJson(customer))
                .statusCode(201)
                .extract()
                .path("id");
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement(
                        "UPDATE idempotency_key SET created_at = created_at - interval '8 days' WHERE key = ?")) {
            ps.setString(1, key);
            assertEquals(1, ps.executeUpdate());
        }
        expiry.forgetOldKeys();
        String second = submitWithKey(key, Api.complaintJson(customer))
                .statusCode(201)
                .header("Idempotent-Replayed", nullValue())
                .extract()
                .path("id");
        assertTrue(!first.equals(second), "after the retention window the key starts a new case");
        given().get("/complaints/" + first).then().statusCode(200);
    }

    @Test
    void keysAreIndependentOfEachOther() {
        String customer = Api.newCustomer();
        String json = Api.complaintJson(customer);
        submitWithKey("k-" + UUID.randomUUID(), json).statusCode(201);
        submitWithKey("k-" + UUID.randomUUID(), json).statusCode(201).header("Idempotent-Replayed", nullValue());
        given().get("/customers/" + customer + "/complaints").then().body("items", hasSize(2));
    }
}
