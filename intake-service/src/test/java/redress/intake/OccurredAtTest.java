package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.RedressRecorded;

/**
 * An interaction or a redress line is recorded when the agent gets to it, but regulatory clocks
 * stop, and returns count, when it took place: the letter posted on Friday and typed in on Monday
 * met Friday's deadline; the refund paid on 30 June and typed in on 1 July was paid in the half-year
 * that ended on 30 June. The agent gives {@code occurredAt}; both times are kept, and the events
 * carry the time it took place.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class OccurredAtTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-29T09:00:00Z");

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void reset() {
        clock.reset();
    }

    /** A case received at {@link #RECEIVED}, registered then; the clock is then set to {@link #NOW}. */
    private UUID caseReceivedInNovember() {
        clock.set(RECEIVED);
        UUID id = UUID.fromString(Api.submit(ReceiptTest.withReceipt(Api.newCustomer(), RECEIVED.toString()))
                .statusCode(201)
                .extract()
                .path("id"));
        clock.set(NOW);
        return id;
    }

    private static String at(String kind, Instant occurredAt) {
        return ResponsesTest.response(kind, ",\"occurredAt\":\"" + occurredAt + "\"", ResponsesTest.DISP_FINAL);
    }

    @Test
    void aFinalResponsePostedBeforeItWasRecordedIsDatedWhenPosted() {
        UUID id = caseReceivedInNovember();
        // Posted on Monday 28 December at 16:55 (the eight weeks end that day), typed in the next morning.
        Instant posted = Instant.parse("2026-12-28T16:55:00Z");
        String interaction = ResponsesTest.record(id, at("FINAL_RESPONSE", posted))
                .statusCode(201)
                .body("occurredAt", is(posted.toString()))
                .body("recordedAt", is(NOW.toString()))
                .extract()
                .path("id");
        given().get("/complaints/" + id + "/interactions")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + interaction + "' }.occurredAt", is(posted.toString()))
                .body("find { it.id == '" + interaction + "' }.recordedAt", is(NOW.toString()));
        CaseEvent e = event(id, "redress.interaction.recorded");
        assertEquals(posted, EventCodec.payload(e, InteractionRecorded.class).occurredAt());
        assertEquals(NOW, e.time(), "the event is published when it was recorded");
    }

    @Test
    void anAcknowledgementSentBeforeItWasRecordedDatesTheCasesAcknowledgement() {
        UUID id = caseReceivedInNovember();
        Instant sent = RECEIVED.plus(Duration.ofHours(2));
        ResponsesTest.record(
                        id,
                        "{\"kind\":\"ACKNOWLEDGEMENT\",\"text\":\"Letter of acknowledgement\",\"occurredAt\":\"" + sent
                                + "\"}")
                .statusCode(201);
        given().get("/complaints/" + id).then().statusCode(200).body("acknowledgedAt", is(sent.toString()));
        assertEquals(
                sent,
                EventCodec.payload(event(id, "redress.case.acknowledged"), CaseAcknowledged.class)
                        .acknowledgedAt());
    }

    @Test
    void withoutOccurredAtTheRecordingIsTheTime() {
        UUID id = caseReceivedInNovember();
        ResponsesTest.record(id, "{\"kind\":\"NOTE\",\"text\":\"Called the branch\"}")
                .statusCode(201)
                .body("occurredAt", is(NOW.toString()))
                .body("recordedAt", is(NOW.toString()));
        // A time a little ahead of this clock (the agent's clock runs fast) is taken as now.
        ResponsesTest.record(
                        id,
                        "{\"kind\":\"NOTE\",\"text\":\"Called again\",\"occurredAt\":\""
                                + NOW.plus(Duration.ofMinutes(4)) + "\"}")
                .statusCode(201)
                .body("occurredAt", is(NOW.toString()));
    }

    @Test
    void aTimeInTheFutureOrBeforeTheReceiptIsRefusedAndNothingIsWritten() {
        UUID id = caseReceivedInNovember();
        for (Instant wrong : List.of(NOW.plus(Duration.ofMinutes(6)), RECEIVED.minusSeconds(1))) {
            String body = "{\"kind\":\"NOTE\",\"text\":\"Called\",\"occurredAt\":\"" + wrong + "\"}";
            DbSnapshot.refusedWritingNothing(
                            dataSource,
                            () -> ResponsesTest.record(id, body),
                            400,
                            "a refused interaction must write nothing")
                    .body("errors.field", hasItem("occurredAt"))
                    .body(
                            "errors.message",
                            hasItem(wrong.isAfter(NOW) ? containsString("future") : containsString("receipt")));
        }
        BadInputTest.invalidField(
                ResponsesTest.record(id, "{\"kind\":\"NOTE\",\"text\":\"Called\",\"occurredAt\":\"yesterday\"}"),
                "occurredAt");
        // The receipt itself is a time the firm may already answer at.
        ResponsesTest.record(id, "{\"kind\":\"NOTE\",\"text\":\"Called\",\"occurredAt\":\"" + RECEIVED + "\"}")
                .statusCode(201);
    }

    @Test
    void aPaymentMadeBeforeItWasRecordedIsDatedWhenMadeAndItsReversalWhenRecorded() {
        UUID id = caseReceivedInNovember();
        Instant paid = Instant.parse("2026-12-28T16:55:00Z");
        String c = "/complaints/" + id + "/redress";
        String line = Api.post(c, paidAt("100.00", paid))
                .statusCode(201)
                .body("occurredAt", is(paid.toString()))
                .body("recordedAt", is(NOW.toString()))
                .extract()
                .path("id");
        // Recorded twice by mistake, and taken out: the reversal corrects the record when it is made.
        clock.set(NOW.plus(Duration.ofHours(1)));
        String twice =
                Api.post(c, paidAt("100.00", paid)).statusCode(201).extract().path("id");
        Api.post(c + "/" + twice + "/reversal", "{\"note\":\"recorded twice\"}")
                .statusCode(201)
                .body("occurredAt", is(NOW.plus(Duration.ofHours(1)).toString()));
        given().get(c)
                .then()
                .statusCode(200)
                .body(
                        "lines.occurredAt",
                        contains(
                                paid.toString(),
                                paid.toString(),
                                NOW.plus(Duration.ofHours(1)).toString()))
                .body("lines[0].id", is(line));
        List<RedressRecorded> lines = Api.awaitEvents(id, 4).stream()
                .filter(e -> e.type().equals("redress.redress.recorded"))
                .map(e -> EventCodec.payload(e, RedressRecorded.class))
                .toList();
        assertEquals(
                List.of(paid, paid, NOW.plus(Duration.ofHours(1))),
                lines.stream().map(RedressRecorded::occurredAt).toList());
        assertEquals(NOW, lines.get(0).recordedAt());
    }

    @Test
    void aRedressTimeInTheFutureOrBeforeTheReceiptIsRefusedAndARetryMustGiveTheSameTime() {
        UUID id = caseReceivedInNovember();
        String c = "/complaints/" + id + "/redress";
        for (Instant wrong : List.of(NOW.plus(Duration.ofMinutes(6)), RECEIVED.minusSeconds(1))) {
            DbSnapshot.refusedWritingNothing(
                            dataSource,
                            () -> Api.post(c, paidAt("10.00", wrong)),
                            400,
                            "a refused line must write nothing")
                    .body("errors.field", hasItem("occurredAt"))
                    .body(
                            "errors.message",
                            hasItem(wrong.isAfter(NOW) ? containsString("future") : containsString("receipt")));
        }
        Instant paid = NOW.minus(Duration.ofDays(2));
        String first = Api.post(c, "refund-77", paidAt("10.00", paid))
                .statusCode(201)
                .extract()
                .path("id");
        Api.post(c, "refund-77", paidAt("10.00", paid))
                .statusCode(201)
                .header("Idempotent-Replayed", is("true"))
                .body("id", is(first));
        // The same key with another date is another request: refused, not answered with the first line.
        BadInputTest.problem(Api.post(c, "refund-77", paidAt("10.00", paid.minusSeconds(60))), 422)
                .body("type", endsWith("idempotency-key-reused"));
    }

    private static String paidAt(String amount, Instant occurredAt) {
        return "{\"stage\":\"PAID\",\"kind\":\"REFUND\",\"amount\":%s,\"currency\":\"GBP\",\"occurredAt\":\"%s\"}"
                .formatted(amount, occurredAt);
    }

    private static CaseEvent event(UUID caseId, String type) {
        return org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> Api.KAFKA.caseRecords(redress.events.Topics.CASE_EVENTS, caseId).stream()
                                .map(r -> r.event())
                                .filter(e -> e.type().equals(type))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .get();
    }
}
