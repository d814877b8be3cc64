package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import redress.events.Severity;

@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class QueriesTest {

    @Test
    void entriesFilterByCaseCustomerActorTypeAndTime() {
        UUID a = UUID.randomUUID();
        String customer = "C-q-" + a;
        Events.publish(Events.received(a, customer, "billing", "card"));
        // Logged before the next is sent: one batch's entries share a recordedAt, and t1 must come after the first.
        Events.awaitHistory(a, 1);
        Events.publish(Events.interaction(a, customer, "sorry"));
        Events.publish(Events.escalated(a, customer));
        JsonPath h = Events.awaitHistory(a, 3);
        String t1 = h.getString("history[1].recordedAt");

        // The history polls above are auditors' reads of case a: they are in the log too (AccessTest).
        given().get("/audit/entries?caseId=" + a).then().statusCode(200).body(Events.CASE_WORK, hasSize(3));
        given().get("/audit/entries?customerId=" + customer).then().body(Events.CASE_WORK, hasSize(3));
        given().get("/audit/entries?customerId=" + customer + "&type=redress.interaction.recorded")
                .then()
                .body("items", hasSize(1))
                .body("items[0].actor", is("agent:agent-7"));
        given().get("/audit/entries?customerId=" + customer + "&actor=agent:agent-7")
                .then()
                .body("items", hasSize(1));
        given().get("/audit/entries?customerId=" + customer + "&actor=escalation-service")
                .then()
                .body("items.type", contains("redress.escalation.raised"));
        given().get("/audit/entries?customerId=" + customer + "&actor=system:escalation-service")
                .then()
                .body("items", hasSize(1));
        given().queryParam("caseId", a.toString())
                .queryParam("from", t1)
                .get("/audit/entries")
                .then()
                .body(Events.CASE_WORK, hasSize(2));
        given().queryParam("caseId", a.toString())
                .queryParam("to", t1)
                .get("/audit/entries")
                .then()
                .body(Events.CASE_WORK, hasSize(1));
    }

    @Test
    void pagesHaveNoGapsOrRepeats() {
        UUID a = UUID.randomUUID();
        String customer = "C-p-" + a;
        Events.publish(Events.received(a, customer, "billing", null));
        for (int i = 0; i < 11; i++) {
            Events.publish(Events.interaction(a, customer, "note " + i));
        }
        List<Long> all = Events.awaitHistory(a, 12).getList("history.seq", Long.class);
        List<Long> paged = new ArrayList<>();
        String after = null;
        do {
            Response r = given().queryParam("caseId", a.toString())
                    .queryParam("limit", 5)
                    .queryParam("after", after == null ? new Object[0] : new Object[] {after})
                    .get("/audit/entries");
            r.then().statusCode(200);
            paged.addAll(r.jsonPath().getList(Events.CASE_WORK + ".seq", Long.class));
            after = r.path("next");
        } while (after != null);
        assertEquals(all, paged);
    }

    @Test
    void insightsOnAKnownDataSet() {
        String x = UUID.randomUUID().toString().substring(0, 8);
        Instant w = Instant.parse("2020-01-10T00:00:00Z");
        UUID b1 = UUID.randomUUID();
        UUID b2 = UUID.randomUUID();
        Events.publish(Events.received(b1, "C-1-" + x, "Billing-" + x, "Card-" + x, Severity.LOW, w.plusSeconds(3600)));
        Events.publish(
                Events.received(b2, "C-1-" + x, " billing-" + x + " ", "card-" + x, Severity.LOW, w.plusSeconds(7200)));
        Events.publish(Events.received(
                UUID.randomUUID(), "C-2-" + x, "BILLING-" + x, null, Severity.LOW, w.plusSeconds(9000)));
        Events.publish(Events.received(
                UUID.randomUUID(), "C-3-" + x, "Delivery-" + x, null, Severity.LOW, w.plusSeconds(9000)));
        Events.publish(Events.received(
                UUID.randomUUID(), "C-3-" + x, "billing-" + x, null, Severity.LOW, w.minusSeconds(3600)));
        Events.publish(
                Events.received(UUID.randomUUID(), "C-3-" + x, "Card-" + x, null, Severity.LOW, w.minusSeconds(7200)));
        Events.publish(Events.escalated(b1, "C-1-" + x));
        Events.publish(Events.reopened(b2, "C-1-" + x));
        // Received as billing, reclassified: counted under what it is now.
        UUID moved = UUID.randomUUID();
        Events.publish(Events.received(moved, "C-4-" + x, "Billing-" + x, null, Severity.LOW, w.plusSeconds(9500)));
        Events.publish(Events.reclassified(moved, "C-4-" + x, "Billing-" + x, "Returns-" + x, null));
        Events.awaitHistory(b1, 2);
        Events.awaitHistory(b2, 2);
        Events.awaitHistory(moved, 2);

        JsonPath r = given().get("/insights/recurring?by=category&from=2020-01-10T00:00:00Z&to=2020-01-20T00:00:00Z")
                .then()
                .statusCode(200)
                .body("by", is("category"))
                .body("previousFrom", is("2019-12-31T00:00:00Z"))
                .extract()
                .jsonPath();
        String billing = "issues.find { it.key.equalsIgnoreCase('billing-" + x + "') }";
        assertEquals(3, r.getInt(billing + ".cases"));
        assertEquals(0.333, r.getDouble(billing + ".escalatedShare"), 0.001);
        assertEquals(0.333, r.getDouble(billing + ".reopenedShare"), 0.001);
        assertEquals(1, r.getInt(billing + ".previousCases"));
        assertEquals(2, r.getInt(billing + ".change"));
        assertEquals(200.0, r.getDouble(billing + ".changePercent"), 0.001);
        assertEquals(true, r.getBoolean(billing + ".recurring"));
        String delivery = "issues.find { it.key == 'Delivery-" + x + "' }";
        assertEquals(1, r.getInt(delivery + ".cases"));
        assertEquals(
                1,
                r.getInt("issues.find { it.key == 'Returns-" + x + "' }.cases"),
                "the reclassified case counts as returns");
        assertEquals(null, (Object) r.get(delivery + ".changePercent"));
        assertEquals(false, r.getBoolean(delivery + ".recurring"));
        assertEquals(null, (Object) r.get("issues.find { it.key.equalsIgnoreCase('card-" + x + "') }"));

        given().get("/insights/recurring?by=customer&from=2020-01-10T00:00:00Z&to=2020-01-20T00:00:00Z")
                .then()
                .body("issues.find { it.key == 'C-1-" + x + "' }.cases", is(2));
        given().get("/insights/recurring?by=product&from=2020-01-10T00:00:00Z&to=2020-01-20T00:00:00Z")
                .then()
                .body("issues.find { it.key.equalsIgnoreCase('card-" + x + "') }.cases", is(2));
    }

    @Test
    void badInputIsAPreciseProblem() {
        String[][] cases = {
            {"/audit/entries?from=yesterday", "from"},
            {"/audit/entries?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to"},
            {"/audit/entries?after=bogus", "after"},
            {"/audit/entries?actor=robot:r2", "actor"},
            {"/audit/entries?type=drop%20table", "type"},
            {"/audit/entries?limit=0", "limit"},
            {"/audit/export?to=soon", "to"},
            {"/audit/verify?fromSeq=abc", "fromSeq"},
            {"/audit/verify?fromSeq=5&toSeq=2", "toSeq"},
            {"/audit/checkpoints?after=zzz", "after"},
            {"/insights/recurring?by=colour", "by"},
            {"/insights/recurring?from=2026-01-01T00:00:00Z", "to"},
            {"/insights/recurring?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"},
            {"/streams/cases?severity=URGENT", "severity"},
            {"/streams/cases?level=CEO", "level"},
            {"/streams/cases?after=x", "after"},
        };
        for (String[] c : cases) {
            given().get(c[0])
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(c[1]));
        }
        given().header("Last-Event-ID", "not-a-number")
                .get("/streams/cases")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("Last-Event-ID"));
        given().get("/audit/cases/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        Events.postVerify("{\"seq\":1,\"chainHash\":\"xyz\",\"time\":\"2026-01-01T00:00:00Z\","
                        + "\"keyId\":\"k\",\"signature\":\"s\"}")
                .statusCode(400)
                .body("errors.field", hasItem("chainHash"));
        Events.postVerify("{\"seq\":1,").statusCode(400).contentType("application/problem+json");
    }
}
