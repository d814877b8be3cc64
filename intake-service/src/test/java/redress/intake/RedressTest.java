package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.RedressKind;
import redress.events.RedressStage;
import redress.events.payload.RedressRecorded;

/**
 * Issue 29: each case's redress ledger: amounts offered, accepted and paid in whole minor units of
 * an ISO 4217 currency, each a {@code redress.recorded} event; the case shows the totals.
 */
@QuarkusTest
@TestSecurity(
        user = "test-agent",
        roles = {"complaint-submitter", "agent", "supervisor"})
class RedressTest {

    @Inject
    DataSource dataSource;

    static String line(String stage, String kind, String amount, String currency) {
        return "{\"stage\":\"%s\",\"kind\":\"%s\",\"amount\":%s,\"currency\":\"%s\"}"
                .formatted(stage, kind, amount, currency);
    }

    @Test
    void linesAreEventsAndTheCaseShowsTheirTotalsPerCurrency() {
        UUID id = Api.newCase(Api.newCustomer());
        String c = "/complaints/" + id + "/redress";
        Api.post(c, line("OFFERED", "REFUND", "125.50", "GBP"))
                .statusCode(201)
                .body("amountMinor", is(12550))
                .body("amount", is("125.50"))
                .body("currency", is("GBP"))
                .body("recordedBy", is("test-agent"));
        Api.post(c, line("OFFERED", "DISTRESS_OR_INCONVENIENCE", "\"50\"", "GBP"))
                .statusCode(201);
        Api.post(c, line("ACCEPTED", "REFUND", "175.5", "GBP")).statusCode(201);
        Api.post(c, line("PAID", "REFUND", "0.10", "GBP")).statusCode(201);
        Api.post(c, line("PAID", "GOODWILL", "3000", "JPY")).statusCode(201);
        // A resolved case still takes redress (it is often paid after the final response).
        Api.post("/complaints/" + id + "/resolution", Api.resolution("refunded"))
                .statusCode(200);
        Api.post(c, line("PAID", "REFUND", "175.40", "GBP")).statusCode(201);

        given().get("/complaints/" + id)
                .then()
                .body("redress.currency", contains("GBP", "JPY"))
                .body("redress[0].offeredMinor", is(17550))
                .body("redress[0].acceptedMinor", is(17550))
                .body("redress[0].paidMinor", is(17550))
                .body("redress[0].paid", is("175.50"))
                .body("redress[1].paidMinor", is(3000))
                .body("redress[1].paid", is("3000"))
                .body("links.redress", is(c));
        given().get(c).then().body("lines", hasSize(6)).body("totals[0].offered", is("175.50"));

        List<CaseEvent> events = Api.awaitEvents(id, 8);
        List<RedressRecorded> lines = events.stream()
                .filter(e -> e.type().equals("redress.redress.recorded"))
                .map(e -> EventCodec.payload(e, RedressRecorded.class))
                .toList();
        assertEquals(6, lines.size());
        RedressRecorded first = lines.get(0);
        assertEquals(RedressStage.OFFERED, first.stage());
        assertEquals(RedressKind.REFUND, first.kind());
        assertEquals(12550L, first.amountMinor());
        assertEquals("GBP", first.currency());
        assertEquals(id, first.caseId());
        // Money is never a float: the event holds a whole number of minor units.
        String value = EventCodec.encode(events.stream()
                .filter(e -> e.type().equals("redress.redress.recorded"))
                .findFirst()
                .orElseThrow());
        assertEquals(true, value.contains("\"amountMinor\":12550,"), value);
    }

    @Test
    void badAmountsAndCurrenciesAreRefusedAndWriteNothing() {
        UUID id = Api.newCase(Api.newCustomer());
        String c = "/complaints/" + id + "/redress";
        Map<String, Long> before = DbSnapshot.take(dataSource);
        for (String[] bad : List.of(
                new String[] {line("PAID", "REFUND", "-5.00", "GBP"), "amount"},
                new String[] {line("PAID", "REFUND", "0", "GBP"), "amount"},
                new String[] {line("PAID", "REFUND", "12.345", "GBP"), "amount"},
                new String[] {line("PAID", "REFUND", "12.5", "JPY"), "amount"},
                new String[] {line("PAID", "REFUND", "1e30", "GBP"), "amount"},
                new String[] {line("PAID", "REFUND", "10", "ZZZ"), "currency"},
                new String[] {line("PAID", "REFUND", "10", "gbp"), "currency"},
                new String[] {line("PAID", "REFUND", "10", "XXX"), "currency"},
                new String[] {line("PAID", "REFUND", "10", "POUNDS"), "currency"},
                new String[] {"{\"stage\":\"PAID\",\"kind\":\"REFUND\",\"currency\":\"GBP\"}", "amount"})) {
            BadInputTest.invalidField(Api.post(c, bad[0]), bad[1]);
        }
        for (String bad : List.of(
                line("SPENT", "REFUND", "10", "GBP"),
                line("PAID", "BRIBE", "10", "GBP"),
                line("PAID", "REFUND", "\"ten\"", "GBP"),
                "{\"stage\":\"PAID\"")) {
            BadInputTest.problem(Api.post(c, bad), 400);
        }
        BadInputTest.problem(
                given().contentType(ContentType.TEXT).body("10 GBP").post(c).then(), 415);
        BadInputTest.problem(
                Api.post("/complaints/" + UUID.randomUUID() + "/redress", line("PAID", "REFUND", "1", "GBP")), 404);
        assertEquals(before, DbSnapshot.take(dataSource), "refused redress must write nothing");
        given().get(c).then().body("lines", hasSize(0)).body("totals", hasSize(0));
    }

    @Test
    void aLineRecordedInErrorIsReversedOnceAndTheTotalsAreTheNet() {
        UUID id = Api.newCase(Api.newCustomer());
        String c = "/complaints/" + id + "/redress";
        String paid = Api.post(c, line("PAID", "REFUND", "100.00", "GBP"))
                .statusCode(201)
                .extract()
                .path("id");
        String twice = Api.post(c, line("PAID", "REFUND", "100.00", "GBP"))
                .statusCode(201)
                .extract()
                .path("id");
        given().get("/complaints/" + id).then().body("redress[0].paidMinor", is(20000));

        Api.post(c + "/" + twice + "/reversal", "{\"note\":\"recorded twice\"}")
                .statusCode(201)
                .body("amountMinor", is(-10000))
                .body("amount", is("-100.00"))
                .body("stage", is("PAID"))
                .body("kind", is("REFUND"))
                .body("currency", is("GBP"))
                .body("note", is("recorded twice"))
                .body("reverses", is(twice));
        given().get("/complaints/" + id).then().body("redress[0].paidMinor", is(10000));
        given().get(c).then().body("lines", hasSize(3)).body("lines[0]", not(hasKey("reverses")));

        UUID other = Api.newCase(Api.newCustomer());
        Map<String, Long> before = DbSnapshot.take(dataSource);
        BadInputTest.problem(Api.post(c + "/" + twice + "/reversal", "{\"note\":\"again\"}"), 409)
                .body("type", endsWith("already-reversed"));
        String reversal = given().get(c).then().extract().path("lines[2].id");
        BadInputTest.problem(Api.post(c + "/" + reversal + "/reversal", "{\"note\":\"undo\"}"), 422)
                .body("type", endsWith("reversal-not-reversible"));
        BadInputTest.invalidField(Api.post(c + "/" + paid + "/reversal", "{\"note\":\" \"}"), "note");
        BadInputTest.invalidField(Api.post(c + "/" + paid + "/reversal", "{}"), "note");
        BadInputTest.problem(Api.post(c + "/" + UUID.randomUUID() + "/reversal", "{\"note\":\"x\"}"), 404);
        BadInputTest.problem(
                Api.post("/complaints/" + other + "/redress/" + paid + "/reversal", "{\"note\":\"x\"}"), 404);
        assertEquals(before, DbSnapshot.take(dataSource), "refused reversals must write nothing");

        List<RedressRecorded> lines = Api.awaitEvents(id, 4).stream()
                .filter(e -> e.type().equals("redress.redress.recorded"))
                .map(e -> EventCodec.payload(e, RedressRecorded.class))
                .toList();
        assertEquals(3, lines.size());
        assertEquals(-10000L, lines.get(2).amountMinor());
        assertEquals(UUID.fromString(twice), lines.get(2).reverses());
        assertEquals(null, lines.get(0).reverses());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyRecordsNothingMore() {
        UUID id = Api.newCase(Api.newCustomer());
        String c = "/complaints/" + id + "/redress";
        String body = line("PAID", "REFUND", "42.00", "GBP");
        Map<String, Long> empty = DbSnapshot.take(dataSource);
        String first = Api.post(c, "refund-4711", body)
                .statusCode(201)
                .header("Idempotent-Replayed", nullValue())
                .extract()
                .path("id");
        Map<String, Long> before = DbSnapshot.take(dataSource);
        assertEquals(empty.get("redress") + 1, before.get("redress"));
        Api.post(c, "refund-4711", body)
                .statusCode(201)
                .header("Idempotent-Replayed", is("true"))
                .body("id", is(first));
        BadInputTest.problem(Api.post(c, "refund-4711", line("PAID", "REFUND", "43.00", "GBP")), 422)
                .body("type", endsWith("idempotency-key-reused"));
        BadInputTest.invalidField(Api.post(c, "has space", body), "Idempotency-Key");
        assertEquals(before, DbSnapshot.take(dataSource), "a retry and a refused request write nothing");
        given().get(c).then().body("lines", hasSize(1)).body("totals[0].paidMinor", is(4200));
        // The same key on another case is another request.
        UUID other = Api.newCase(Api.newCustomer());
        Api.post("/complaints/" + other + "/redress", "refund-4711", body)
                .statusCode(201)
                .header("Idempotent-Replayed", nullValue());
    }
}
