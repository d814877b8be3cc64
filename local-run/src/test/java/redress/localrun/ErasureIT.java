package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.crypto.SecretKey;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import redress.auditverifier.AuditExportVerifier;
import redress.events.CustomerSeal;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;

/**
 * Crypto-shredding across every service, with the built services as processes of their own.
 * Which services hold a customer's name and contact: intake-service (sealed in its table, clear
 * through its API while the key exists) and, as cipher text only, audit-service (the log keeps the
 * envelopes as received) and escalation-service (its case history keeps whole envelopes).
 * followup-service keeps the customer id alone. Before the erasure the customer's records on
 * {@code case.events} open with the key intake-service holds; after
 * {@code POST /customers/{id}/erasure} no key it holds opens them, and the name and contact are
 * unreadable through every API of the four, in the audit history and export, and in a replay of
 * every topic from the beginning; {@code /audit/verify} holds and the export verifies offline with
 * the independent verifier. A case stored in clear as an intake older than per-customer
 * encryption stores it (a rolling update) is erased with the customer, its clear columns emptied.
 * A new complaint from the same customer id is readable again under a new key, while the earlier
 * cases stay erased.
 */
class ErasureIT {

    static final Path INTAKE = Path.of(System.getProperty("redress.intake.jar"));
    static final Path AUDIT = Path.of(System.getProperty("redress.audit.jar"));
    static final Path ESCALATION = Path.of(System.getProperty("redress.escalation.jar"));
    static final Path FOLLOWUP = Path.of(System.getProperty("redress.followup.jar"));
    static final String[] JVM = {"-XX:TieredStopAtLevel=1"};

    /** What must not be readable anywhere after the erasure (the name, the e-mail, the phone number). */
    static final List<String> PERSONAL = List.of("Grace", "Hopper", "grace@example.org", "555 0100");

    /** intake-service's key-encryption key here, so that the test can open what intake-service's keys open. */
    static final String KEK =
            Base64.getEncoder().encodeToString("erasure-it-customer-kek-32-bytes".getBytes(StandardCharsets.US_ASCII));

    final TestInfrastructure infra = TestInfrastructure.get();
    // Rows stored in clear are sealed at start and then every minute: off, so that the one this
    // test stores is still in clear when the erasure comes.
    final ServiceProcess intake = new ServiceProcess(INTAKE, infra, "erasure_intake", null)
            .env("REDRESS_CUSTOMER_KEYS_KEK", KEK)
            .env("REDRESS_CUSTOMER_KEYS_SEAL_CHECK_EVERY", "off");
    final ServiceProcess escalation = new ServiceProcess(ESCALATION, infra, "erasure_escalation", null);
    final ServiceProcess followup = new ServiceProcess(FOLLOWUP, infra, "erasure_followup", null);
    final ServiceProcess audit = new ServiceProcess(AUDIT, infra, "erasure_audit", "audit_writer")
            .env(
                    "REDRESS_AUDIT_SIGNING_KEY_FILE",
                    Path.of("target", "erasure-signing-key.pem")
                            .toAbsolutePath()
                            .toString())
            .env("REDRESS_AUDIT_SIGNING_GENERATE_IF_MISSING", "true");

    @AfterEach
    void stop() {
        intake.close();
        escalation.close();
        followup.close();
        audit.close();
    }

    @Test
    void anErasedCustomerIsUnreadableEverywhereWhileTheLogStillVerifies() throws Exception {
        intake.start("erasure-intake", JVM);
        escalation.start("erasure-escalation", JVM);
        followup.start("erasure-followup", JVM);
        audit.start("erasure-audit", JVM);

        String customer = "ERASE-" + UUID.randomUUID();
        String other = "KEEP-" + UUID.randomUUID();
        UUID first = submit(customer);
        UUID second = submit(customer);
        UUID kept = submit(other);
        assertEquals(
                201,
                intake.post(
                                "/complaints/" + first + "/interactions",
                                "{\"kind\":\"CUSTOMER_CONTACT\",\"text\":\"Called back\",\"direction\":\"OUTBOUND\",\"channel\":\"PHONE\",\"tone\":\"ANGRY\"}")
                        .statusCode());
        assertEquals(
                "Grace Hopper",
                json(intake.get("/complaints/" + first))
                        .path("customer")
                        .path("name")
                        .asText(),
                "intake shows the name while the key exists");

        // Every service has seen both cases before the erasure.
        for (UUID id : List.of(first, second)) {
            awaitTypes(id, "redress.complaint.received");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> escalation.get("/cases/" + id + "/escalations").statusCode() == 200);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() ->
                            followup.get("/cases/" + id + "/deadlines").body().contains("dueAt"));
        }

        // The customer's records on the topic are theirs: the key intake-service holds opens them.
        KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers());
        List<Customer> published = publishedCustomers(kafka, customer);
        assertEquals(2, published.size(), published.toString());
        for (Customer sealed : published) {
            assertEquals("Grace Hopper", open(sealed).orElseThrow().name(), sealed.toString());
        }
        // A case an older intake stored in clear during a rolling update.
        UUID inClear = storeInClear(customer);

        HttpResponse<String> erased =
                intake.post("/customers/" + customer + "/erasure", "{\"reason\":\"GDPR Art. 17 request\"}");
        assertEquals(200, erased.statusCode(), erased.body());
        assertEquals(3, json(erased).path("cases").asInt());
        assertEquals(List.of(), clearColumns(inClear), "the name and contact stored in clear are gone");
        assertTrue(json(intake.get("/complaints/" + inClear))
                .path("customer")
                .path("erased")
                .asBoolean());
        for (UUID id : List.of(first, second)) {
            awaitTypes(id, "redress.customer.erased");
        }

        // Through every API of every service.
        List<String> reads = new ArrayList<>();
        for (UUID id : List.of(first, second)) {
            JsonNode c = json(intake.get("/complaints/" + id));
            assertTrue(c.path("customer").path("erased").asBoolean(), c.toString());
            reads.addAll(List.of(
                    intake.get("/complaints/" + id).body(),
                    intake.get("/complaints/" + id + "/interactions").body(),
                    intake.get("/complaints/" + id + "/promises").body(),
                    escalation.get("/cases/" + id + "/escalations").body(),
                    followup.get("/cases/" + id + "/deadlines").body(),
                    followup.get("/followups?caseId=" + id).body(),
                    audit.get("/audit/cases/" + id).body()));
        }
        reads.addAll(List.of(
                intake.get("/customers/" + customer + "/complaints").body(),
                intake.get("/complaints?customerId=" + customer).body(),
                escalation.get("/escalations").body(),
                followup.get("/promises").body(),
                audit.get("/audit/entries?customerId=" + customer + "&limit=100")
                        .body(),
                audit.get("/insights/recurring?by=customer").body()));
        String export = audit.get("/audit/export").body();
        reads.add(export);
        for (String body : reads) {
            assertUnreadable(body, "an API answer");
        }
        // The history says what happened, and the control customer is untouched.
        JsonNode history = json(audit.get("/audit/cases/" + first));
        assertTrue(
                history.toString().contains("name and contact erased (on request, key " + customer + ":1 destroyed)"),
                history.toString());
        assertEquals(
                "Grace Hopper",
                json(intake.get("/complaints/" + kept))
                        .path("customer")
                        .path("name")
                        .asText());

        // A replay of every topic from the beginning: the records that opened before open no more.
        assertEquals(Set.copyOf(published), Set.copyOf(publishedCustomers(kafka, customer)));
        for (Customer sealed : published) {
            assertEquals(Optional.empty(), open(sealed), "a key intake-service holds still opens " + sealed);
        }
        int mine = 0;
        for (String topic : Topics.all()) { // dead-letter topics and checkpoints included
            for (KafkaTestClient.Received r :
                    kafka.readAll(topic, r -> r.value() != null && r.value().contains(customer))) {
                assertUnreadable(r.value(), topic + " record");
                mine++;
            }
        }
        assertTrue(mine >= 4, "the customer's records were replayed: " + mine);

        // The log still holds: the chain hashed the cipher text, which did not change.
        JsonNode verify = json(audit.get("/audit/verify"));
        assertTrue(verify.path("ok").asBoolean(), verify.toString());
        int signed = audit.post("/audit/checkpoints", "").statusCode();
        assertTrue(signed == 201 || signed == 200, "checkpoint: " + signed);
        AuditExportVerifier.Result offline = AuditExportVerifier.verify(
                audit.get("/audit/export").body(),
                AuditExportVerifier.publicKey(audit.get("/audit/public-key").body()));
        assertTrue(offline.ok(), offline.problems().toString());

        // The same customer id complains again: a new key, readable; the earlier cases stay erased.
        UUID third = submit(customer);
        assertEquals(
                "Grace Hopper",
                json(intake.get("/complaints/" + third))
                        .path("customer")
                        .path("name")
                        .asText());
        assertTrue(json(intake.get("/complaints/" + first))
                .path("customer")
                .path("erased")
                .asBoolean());
        JsonNode received = awaitTypes(third, "redress.complaint.received");
        assertEquals(
                customer + ":2",
                received.path("data").path("customer").path("kid").asText(),
                received.toString());
        assertUnreadable(received.toString(), "the new complaint's audit entry");
        assertTrue(json(audit.get("/audit/verify")).path("ok").asBoolean());
        ComplaintReceived onTopic = kafka.caseRecords(Topics.CASE_EVENTS, third).stream()
                .map(KafkaTestClient.Received::event)
                .map(e -> EventCodec.payload(e, ComplaintReceived.class))
                .findFirst()
                .orElseThrow();
        assertTrue(onTopic.customer().isSealed());
    }

    private UUID submit(String customer) throws IOException, InterruptedException {
        HttpResponse<String> r = intake.post("/complaints", """
                {"customer":{"id":"%s","name":"Grace Hopper","email":"grace@example.org","phone":"+1 555 0100"},
                 "channel":"PHONE","category":"billing","summary":"Charged twice","severity":"HIGH"}""".formatted(customer));
        assertEquals(201, r.statusCode(), r.body());
        return UUID.fromString(json(r).path("id").asText());
    }

    /** The sealed customers of the customer's {@code complaint.received} records on {@code case.events}. */
    private static List<Customer> publishedCustomers(KafkaTestClient kafka, String customer) {
        return kafka
                .readAll(Topics.CASE_EVENTS, r -> r.value() != null && r.value().contains(customer))
                .stream()
                .map(KafkaTestClient.Received::event)
                .filter(e -> e.type().equals("redress.complaint.received"))
                .map(e -> EventCodec.payload(e, ComplaintReceived.class).customer())
                .toList();
    }

    /** The customer opened with the data key intake-service's database holds for its key id; empty without one. */
    private Optional<Customer> open(Customer sealed) throws Exception {
        String[] kid = sealed.kid().split(":(?=[0-9]+$)");
        try (Connection c = intakeDatabase();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT wrapped_key FROM customer_key WHERE customer_id = ? AND version = ? AND wrapped_key IS NOT NULL")) {
            ps.setString(1, kid[0]);
            ps.setInt(2, Integer.parseInt(kid[1]));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SecretKey kek = CustomerSeal.key(Base64.getDecoder().decode(KEK));
                return Optional.of(CustomerSeal.open(sealed, CustomerSeal.unwrap(rs.getBytes(1), kek, sealed.kid())));
            }
        }
    }

    /** A case as an intake before per-customer encryption inserts it: name and contact in clear, no key id. */
    private UUID storeInClear(String customer) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = intakeDatabase();
                PreparedStatement ps = c.prepareStatement("INSERT INTO complaint (id, reference, "
                        + "customer_id, customer_name, customer_email, customer_phone, channel, category, summary, severity, level, "
                        + "status, regulatory_profile, submitted_by, received_at, updated_at) VALUES (?, ?, ?, 'Grace Hopper', "
                        + "'grace@example.org', '+1 555 0100', 'PHONE', 'billing', 'Charged twice', 'HIGH', 'AGENT', 'OPEN', 'DEFAULT', "
                        + "'test-client', now(), now())")) {
            ps.setObject(1, id);
            ps.setString(2, "CMP-1999-" + id.toString().substring(0, 6));
            ps.setString(3, customer);
            ps.executeUpdate();
        }
        return id;
    }

    /** The case's name, e-mail and phone columns that are not null. */
    private List<String> clearColumns(UUID id) throws Exception {
        try (Connection c = intakeDatabase();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT customer_name, customer_email, customer_phone FROM complaint WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                List<String> set = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    if (rs.getString(i) != null) {
                        set.add(rs.getString(i));
                    }
                }
                return set;
            }
        }
    }

    private Connection intakeDatabase() throws Exception {
        return DriverManager.getConnection(
                intake.jdbcUrl(), infra.postgres().user(), infra.postgres().password());
    }

    /** The case's audit entry of that type (the last one), once the log has it. */
    private JsonNode awaitTypes(UUID caseId, String type) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            JsonNode found = null;
                            for (JsonNode e :
                                    json(audit.get("/audit/cases/" + caseId)).path("history")) {
                                if (type.equals(e.path("type").asText())) {
                                    found = e;
                                }
                            }
                            return found;
                        },
                        e -> e != null);
    }

    private static void assertUnreadable(String text, String where) {
        for (String p : PERSONAL) {
            assertFalse(text.contains(p), where + " holds \"" + p + "\": " + text);
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return EventCodec.mapper().readTree(r.body());
    }
}
