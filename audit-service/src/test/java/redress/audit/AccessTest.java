package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import redress.auditverifier.AuditExportVerifier;
import redress.events.EventCodec;
import redress.testsupport.TestTokens;

/**
 * Auditors' own reads are recorded in the log they read (docs/audit-log.md, "Auditors' reads"):
 * one {@code redress.audit.accessed} entry per answered request, naming the auditor (the token's
 * subject) and what was read. Real tokens, so each test has auditors of its own: one who reads,
 * one who watches the log for the records.
 */
@QuarkusTest
class AccessTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    static RequestSpecification as(String subject) {
        return given().header("Authorization", TestTokens.bearer(subject, "auditor"));
    }

    /** The watcher's view of the reader's recorded reads (the watcher's own reads are recorded under its name). */
    static List<Map<String, Object>> readsBy(String watcher, String reader) {
        return as(watcher)
                .queryParam("actor", "agent:" + reader)
                .queryParam("type", Events.READ)
                .queryParam("limit", 100)
                .get("/audit/entries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    /** Waits until the watcher sees at least {@code n} recorded reads by the reader. */
    static void awaitReads(String watcher, String reader, int n) {
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> readsBy(watcher, reader).size() >= n);
    }

    @Test
    void eachReadLeavesOneEntryNamingTheAuditorAndWhatWasRead() throws Exception {
        UUID caseId = UUID.randomUUID();
        String customer = "C-acc-" + caseId;
        String reader = "auditor-" + caseId.toString().substring(0, 8);
        String watcher = "watcher-" + caseId.toString().substring(0, 8);
        Events.publish(Events.received(caseId, customer, "billing", "card"));
        Events.publish(Events.interaction(caseId, customer, "sorry"));
        JsonPath h = Events.awaitHistory(() -> as(watcher), caseId, x -> x.getInt("entries") >= 2);
        long first = h.getLong("history[0].seq");
        String from = h.getString("history[0].recordedAt");

        // Four reads by one auditor.
        as(reader).get("/audit/cases/" + caseId).then().statusCode(200);
        as(reader)
                .queryParam("customerId", customer)
                .queryParam("type", "redress.interaction.recorded")
                .get("/audit/entries")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        String export = as(reader)
                .queryParam("from", from)
                .get("/audit/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode header = EventCodec.mapper().readTree(export.substring(0, export.indexOf('\n')));
        as(reader).queryParam("fromSeq", first).get("/audit/verify").then().statusCode(200);

        // Exactly one entry each: four arrive, and no more follow.
        awaitReads(watcher, reader, 4);
        Awaitility.await()
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> readsBy(watcher, reader).size() == 4);
        JsonPath reads = as(watcher)
                .queryParam("actor", "agent:" + reader)
                .queryParam("type", Events.READ)
                .get("/audit/entries")
                .jsonPath();
        assertEquals(
                List.of("case-history", "entries-query", "export", "verify").stream()
                        .sorted()
                        .toList(),
                reads.getList("items.data.operation", String.class).stream()
                        .sorted()
                        .toList());
        reads.getList("items.actor", String.class).forEach(a -> assertEquals("agent:" + reader, a));
        assertEquals(4, reads.getList("items.eventId").stream().distinct().count());

        String ch = "items.find { it.data.operation == 'case-history' }";
        assertEquals(caseId.toString(), reads.getString(ch + ".caseId"), "a case read is part of that case's history");
        assertEquals(caseId.toString(), reads.getString(ch + ".data.caseId"));
        assertEquals(Events.ref(caseId), reads.getString(ch + ".data.reference"));
        assertEquals(customer, reads.getString(ch + ".customerId"));
        assertEquals(caseId.toString(), reads.getString(ch + ".data.parameters.caseId"));
        assertTrue(reads.getInt(ch + ".data.entries") >= 2);
        assertEquals(first, reads.getLong(ch + ".data.firstSeq"));
        assertNotNull(reads.getString(ch + ".data.accessedAt"));

        String eq = "items.find { it.data.operation == 'entries-query' }";
        assertEquals("audit-log", reads.getString(eq + ".caseId"), "a read across the log has the log's subject");
        assertEquals(customer, reads.getString(eq + ".customerId"));
        assertEquals(customer, reads.getString(eq + ".data.parameters.customerId"));
        assertEquals("redress.interaction.recorded", reads.getString(eq + ".data.parameters.type"));
        assertEquals(1, reads.getInt(eq + ".data.entries"));

        String ex = "items.find { it.data.operation == 'export' }";
        assertEquals("audit-log", reads.getString(ex + ".caseId"));
        assertNull(reads.get(ex + ".customerId"));
        assertEquals(from, reads.getString(ex + ".data.parameters.from"));
        assertEquals(header.path("firstSeq").asLong(), reads.getLong(ex + ".data.firstSeq"), "the range exported");
        assertEquals(header.path("lastSeq").asLong(), reads.getLong(ex + ".data.lastSeq"));
        assertEquals(
                header.path("lastSeq").asLong() - header.path("firstSeq").asLong() + 1,
                reads.getLong(ex + ".data.entries"));

        String v = "items.find { it.data.operation == 'verify' }";
        assertEquals(String.valueOf(first), reads.getString(v + ".data.parameters.fromSeq"));
        assertEquals(true, reads.getBoolean(v + ".data.verified"));
        assertTrue(reads.getLong(v + ".data.lastSeq") >= first);

        // The case's own history shows who read it: the reader once (its other reads were not of this case).
        JsonPath history = as(watcher).get("/audit/cases/" + caseId).jsonPath();
        assertEquals(
                1,
                history.getList("history.findAll { it.type == '" + Events.READ + "' && it.actor == 'agent:" + reader
                                + "' }")
                        .size());
        assertTrue(history.getString("history.find { it.actor == 'agent:" + reader + "' }.description")
                .startsWith("Audit log read: case-history"));
    }

    @Test
    void theLogWithItsReadsStillVerifiesOnlineAndOffline() throws Exception {
        UUID caseId = UUID.randomUUID();
        String customer = "C-acv-" + caseId;
        String reader = "auditor-v-" + caseId.toString().substring(0, 8);
        String watcher = "watcher-v-" + caseId.toString().substring(0, 8);
        Events.publish(Events.received(caseId, customer, "billing", "card"));
        JsonPath h = Events.awaitHistory(() -> as(watcher), caseId, x -> x.getInt("entries") >= 1);
        long first = h.getLong("history[0].seq");
        String from = h.getString("history[0].recordedAt");
        as(reader).get("/audit/cases/" + caseId).then().statusCode(200);
        as(reader).queryParam("fromSeq", first).get("/audit/verify").then().statusCode(200);
        awaitReads(watcher, reader, 2);

        // Online: the chain over the reads holds.
        as(watcher)
                .queryParam("fromSeq", first)
                .get("/audit/verify")
                .then()
                .statusCode(200)
                .body("ok", org.hamcrest.Matchers.is(true));

        // Offline: an export holding the reads verifies with the independent verifier.
        String pem = as(watcher).get("/audit/public-key").asString();
        String export = as(watcher)
                .queryParam("from", from)
                .get("/audit/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(export.contains("redress.audit.accessed") && export.contains(reader), "the reads are in the export");
        AuditExportVerifier.Result r = AuditExportVerifier.verify(export, AuditExportVerifier.publicKey(pem));
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.entries() >= 3, r.toString());
    }

    @Test
    void aCaseTheLogDoesNotHoldIsNotGivenAHistoryByBeingAskedFor() {
        UUID unknown = UUID.randomUUID();
        String reader = "auditor-u-" + unknown.toString().substring(0, 8);
        as(reader).get("/audit/cases/" + unknown).then().statusCode(404);
        // A later read of a real case is recorded; the 404 before it never is.
        UUID caseId = UUID.randomUUID();
        Events.publish(Events.received(caseId, "C-u-" + caseId, "billing", null));
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> as(reader).get("/audit/cases/" + caseId).statusCode() == 200);
        awaitReads("watcher-u", reader, 1);
        as("watcher-u").get("/audit/cases/" + unknown).then().statusCode(404);
        readsBy("watcher-u", reader).forEach(e -> assertEquals(caseId.toString(), e.get("caseId")));
    }
}
