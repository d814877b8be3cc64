package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;
import redress.auditverifier.AuditExportVerifier;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.testsupport.KafkaTestClient;

@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class AuditLogTest {

    @Inject
    AuditLog log;

    @Test
    void eventsFromAllThreeTopicsBecomeEntriesInOrder() {
        UUID caseId = UUID.randomUUID();
        String customer = "C-" + caseId;
        CaseEvent received = Events.received(caseId, customer, "billing", "card");
        Events.publish(received);
        Events.awaitHistory(caseId, 1);
        Events.publish(Events.escalated(caseId, customer));
        Events.awaitHistory(caseId, 2);
        Events.publish(Events.followup(caseId, customer, false));
        JsonPath h = Events.awaitHistory(caseId, 3);
        assertEquals(
                List.of("redress.complaint.received", "redress.escalation.raised", "redress.followup.completed"),
                Events.types(h));
        // Numbered 1, 2, 3, ... within the case, the auditors' reads of it (the polls above) included.
        List<Integer> all = given().get("/audit/cases/" + caseId).jsonPath().getList("history.caseSeq");
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i));
        }
        List<Integer> work = h.getList("history.caseSeq");
        assertEquals(1, work.get(0));
        assertTrue(work.get(0) < work.get(1) && work.get(1) < work.get(2));
        List<Long> seqs = h.getList("history.seq", Long.class);
        assertTrue(seqs.get(0) < seqs.get(1) && seqs.get(1) < seqs.get(2));
        assertEquals("integration:crm", h.getString("history[0].actor"));
        assertEquals(received.id().toString(), h.getString("history[0].eventId"));
        assertTrue(h.getString("history[0].description").startsWith("Complaint received via EMAIL: Charged twice"));
        assertEquals("Escalated to SUPERVISOR: tone rising (rule tone v1)", h.getString("history[1].description"));
        assertEquals(Events.ref(caseId), h.getString("reference"));
        given().get("/audit/verify").then().statusCode(200).body("ok", is(true));
    }

    @Test
    void aWatchIsDescribedAsOneAndAHandOverAsAnEscalation() {
        UUID caseId = UUID.randomUUID();
        String customer = "C-" + caseId;
        Events.publish(Events.received(caseId, customer, "billing", "card"));
        Events.awaitHistory(caseId, 1);
        Events.publish(Events.escalated(caseId, customer, EscalationAction.WATCH));
        Events.awaitHistory(caseId, 2);
        Events.publish(Events.escalated(caseId, customer, EscalationAction.HAND_OVER));
        JsonPath h = Events.awaitHistory(caseId, 3);
        assertEquals(
                "Watched from SUPERVISOR (the owner keeps the case): tone rising (rule tone v1)",
                h.getString("history[1].description"));
        assertEquals("Escalated to SUPERVISOR: tone rising (rule tone v1)", h.getString("history[2].description"));
    }

    @Test
    void aRedeliveredEventAddsNothing() {
        UUID caseId = UUID.randomUUID();
        CaseEvent e = Events.received(caseId, "C-1", "billing", null);
        for (int i = 0; i < 3; i++) {
            Events.publish(e);
        }
        Events.publish(Events.interaction(caseId, "C-1", "sorry"));
        // The interaction follows the three deliveries on the same partition: once it is in the log,
        // every delivery before it has been appended or dropped.
        JsonPath h =
                Events.awaitHistory(caseId, history -> Events.types(history).contains("redress.interaction.recorded"));
        assertEquals(
                List.of("redress.complaint.received", "redress.interaction.recorded"),
                Events.types(h),
                "three deliveries of one event are one entry");
    }

    @Test
    void unknownTypesAreRecordedAndPoisonIsDeadLettered() {
        UUID caseId = UUID.randomUUID();
        String marker = "poison-" + caseId;
        Events.KAFKA.send(Topics.CASE_FOLLOWUPS, caseId.toString(), "{\"specversion\":\"1.0\", broken " + marker);
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), "{\"no\":\"envelope\",\"m\":\"" + marker + "\"}");
        String future = EventCodec.encode(Events.received(caseId, "C-2", "billing", null))
                .replace("redress.complaint.received", "redress.complaint.triaged")
                .replace("redress:complaint.received/2", "redress:complaint.triaged/3");
        Events.KAFKA.send(Topics.CASE_EVENTS, caseId.toString(), future);
        Events.publish(Events.interaction(caseId, "C-2", "after the poison"));

        JsonPath h = Events.awaitHistory(caseId, 2);
        assertEquals(List.of("redress.complaint.triaged", "redress.interaction.recorded"), Events.types(h));
        assertEquals("Event redress.complaint.triaged", h.getString("history[0].description"));
        List<KafkaTestClient.Received> dlqFollowups = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> Events.KAFKA.readAll(
                                Topics.dlq(Topics.CASE_FOLLOWUPS),
                                r -> r.value().contains(marker)),
                        l -> !l.isEmpty());
        assertEquals(Topics.CASE_FOLLOWUPS, dlqFollowups.get(0).headers().get("dead-letter-topic"));
        assertTrue(dlqFollowups.get(0).headers().get("dead-letter-reason").contains("JSON"));
        assertEquals(
                1,
                Events.KAFKA
                        .readAll(Topics.dlq(Topics.CASE_EVENTS), r -> r.value().contains(marker))
                        .size());
    }

    /**
     * An event another producer sent in the CloudEvents Kafka binding's binary content mode (the
     * attributes as {@code ce_} headers, the value the data alone) is logged as the same envelope,
     * data included, and the chain verifies.
     */
    @Test
    void anEventSentInBinaryModeIsLoggedAsItsEnvelope() throws Exception {
        UUID caseId = UUID.randomUUID();
        CaseEvent e = Events.received(caseId, "C-5", "billing", null);
        JsonNode envelope = EventCodec.mapper().readTree(EventCodec.encode(e));
        Map<String, String> headers = new LinkedHashMap<>();
        envelope.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("data") && !f.getKey().equals("datacontenttype")) {
                headers.put("ce_" + f.getKey(), f.getValue().asText());
            }
        });
        headers.put("content-type", "application/json");
        Events.KAFKA.send(
                Topics.CASE_EVENTS, caseId.toString(), envelope.get("data").toString(), headers);
        Events.publish(Events.interaction(caseId, "C-5", "after the binary one"));

        JsonPath h = Events.awaitHistory(caseId, 2);
        assertEquals(List.of("redress.complaint.received", "redress.interaction.recorded"), Events.types(h));
        assertEquals(e.id().toString(), h.getString("history[0].eventId"));
        assertEquals("C-5", h.getString("history[0].customerId"), "an extension attribute, from its header");
        assertEquals(
                envelope.get("data"),
                EventCodec.mapper().valueToTree(h.getMap("history[0].data")),
                "the data, from the record's value");
        given().get("/audit/verify").then().statusCode(200).body("ok", is(true));
    }

    @Test
    void concurrentAppendersProduceOneValidChain() throws Exception {
        // Each appender has its own connection and transaction, as separate replicas would: the
        // advisory lock on the head is in the database, not in this JVM.
        int appenders = 6;
        ExecutorService pool = Executors.newFixedThreadPool(appenders);
        List<Future<Integer>> results = new ArrayList<>();
        UUID caseId = UUID.randomUUID();
        for (int a = 0; a < appenders; a++) {
            results.add(pool.submit(() -> {
                int added = 0;
                for (int b = 0; b < 10; b++) {
                    List<Received> batch = Events.interactions(caseId, "C-3", "concurrent ", 20);
                    added += log.append(batch);
                }
                return added;
            }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        pool.shutdown();
        assertEquals(appenders * 10 * 20, total);
        given().get("/audit/verify").then().statusCode(200).body("ok", is(true)).body("firstProblem", nullValue());
        JsonPath h = Events.awaitHistory(caseId, total);
        List<Integer> caseSeqs =
                given().get("/audit/cases/" + caseId).jsonPath().getList("history.caseSeq");
        for (int i = 0; i < caseSeqs.size(); i++) {
            assertEquals(i + 1, caseSeqs.get(i));
        }
    }

    @Test
    void checkpointsAreSignedStoredAndPublished() throws Exception {
        Events.publish(Events.received(UUID.randomUUID(), "C-4", "billing", null));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().post("/audit/checkpoints").statusCode() == 201);
        // Nothing new since: the same checkpoint, not a new one.
        Map<String, Object> cp = given().post("/audit/checkpoints")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        String pem = given().get("/audit/public-key")
                .then()
                .statusCode(200)
                .header("Redress-Key-Id", is(cp.get("keyId")))
                .extract()
                .asString();
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----"));
        given().get("/audit/checkpoints?limit=200")
                .then()
                .statusCode(200)
                .body("items.seq", hasItem(((Number) cp.get("seq")).intValue()));
        List<KafkaTestClient.Received> published = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> Events.KAFKA.readAll(
                                Topics.AUDIT_CHECKPOINTS, r -> r.value().contains("\"seq\":" + cp.get("seq") + ",")),
                        l -> !l.isEmpty());
        assertEquals("application/json", published.get(0).headers().get("content-type"));
        assertTrue(published.get(0).value().contains((String) cp.get("signature")));
        // An auditor's saved copy, exactly as the topic carries it, verifies against today's log.
        Events.postVerify(published.get(0).value())
                .statusCode(200)
                .body("extendsCheckpoint", is(true))
                .body("signatureValid", is(true));
    }

    @Test
    void exportVerifiesWithAnIndependentVerifier() throws Exception {
        UUID caseId = UUID.randomUUID();
        Events.publish(Events.received(caseId, "C-5", "billing", "card"));
        Events.publish(Events.interaction(caseId, "C-5", "Ünïcödé “quotes” \\ and \u2028 line separator 😀"));
        Events.awaitHistory(caseId, 2);
        given().post("/audit/checkpoints").then().statusCode(anyOf(is(200), is(201)));
        String pem = given().get("/audit/public-key").asString();

        String full = given().get("/audit/export")
                .then()
                .statusCode(200)
                .contentType(containsString("application/x-ndjson"))
                .extract()
                .asString();
        AuditExportVerifier.Result r = AuditExportVerifier.verify(full, AuditExportVerifier.publicKey(pem));
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.entries() >= 2 && r.checkpoints() >= 1, r.toString());
        // Up to the export's last entry: the export itself is recorded, and its record may be appended by now.
        long lastSeq = EventCodec.mapper()
                .readTree(full.substring(0, full.indexOf('\n')))
                .path("lastSeq")
                .asLong();
        JsonPath verify =
                given().get("/audit/verify?toSeq=" + lastSeq).then().extract().jsonPath();
        assertEquals(verify.getString("headHash"), r.lastChainHash());

        // A partial export, anchored by the chain hash before its first entry.
        String from = Events.awaitHistory(caseId, 2).getString("history[1].recordedAt");
        String part = given().queryParam("from", from)
                .get("/audit/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        AuditExportVerifier.Result p = AuditExportVerifier.verify(part, AuditExportVerifier.publicKey(pem));
        assertTrue(p.ok(), p.problems().toString());
        assertTrue(p.entries() >= 1 && p.entries() < r.entries());

        // A byte changed in transit is caught.
        String tampered = full.replace("Charged twice", "Charged once!");
        assertTrue(!AuditExportVerifier.verify(tampered, AuditExportVerifier.publicKey(pem))
                .ok());
    }
}
