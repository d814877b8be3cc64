package redress.followup;

import static io.restassured.RestAssured.given;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

import io.restassured.http.ContentType;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.Direction;
import redress.events.EscalationLevel;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReclassified;
import redress.events.payload.CaseReopened;
import redress.events.payload.CaseResolved;
import redress.events.payload.CaseStatusChanged;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineWarning;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseKept;
import redress.events.payload.PromiseMade;
import redress.followup.wake.ReadThrough;
import redress.followup.wake.Waker;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.Rows;

/**
 * What the flow tests share: cases whose events are stamped at times a test chooses, sent through
 * real Kafka and waited for until applied; the clock moved and the waker run once the consumers have
 * read through the new time; the events out on {@code case.followups}; the case's deadlines as
 * {@code GET /cases/{id}/deadlines} lists them.
 */
abstract class Flows {

    static final KafkaTestClient KAFKA = KafkaTestClient.forTests();
    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    @Inject
    Waker waker;

    @Inject
    ReadThrough readThrough;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    /** A case whose events are stamped at times the test chooses. */
    static final class TestCase {
        final UUID id = UUID.randomUUID();
        final String reference = "CMP-2026-" + String.format("%06d", Math.abs(id.hashCode() % 1_000_000));
        final String customer = "C-" + id.toString().substring(0, 8);

        CaseEvent at(Instant t, CasePayload payload) {
            return CaseEvent.create(
                    "/intake-service", new Actor(ActorType.AGENT, "ana"), customer, payload, null, null, t);
        }

        /** Received by the firm at {@code receivedAt}, registered in Redress at {@code registeredAt}. */
        CaseEvent received(Instant receivedAt, Instant registeredAt, String profile) {
            return at(
                    registeredAt,
                    ComplaintReceived.builder()
                            .caseId(id)
                            .reference(reference)
                            .channel(Channel.WEB)
                            .category("billing")
                            .product("card")
                            .summary("Charged twice for one order")
                            .severity(Severity.HIGH)
                            .level(EscalationLevel.AGENT)
                            .status(CaseStatus.OPEN)
                            .regulatoryProfile(profile)
                            .receivedAt(receivedAt)
                            .registeredAt(registeredAt)
                            .build());
        }

        CaseEvent received(Instant t, String profile) {
            return received(t, t, profile);
        }

        CaseEvent status(Instant t, CaseStatus from, CaseStatus to) {
            return at(t, new CaseStatusChanged(id, reference, from, to, "test"));
        }

        CaseEvent acknowledged(Instant t) {
            return at(t, new CaseAcknowledged(id, reference, UUID.randomUUID(), t));
        }

        /** A promise of {@code text} made at {@code t}, due at {@code due}. */
        CaseEvent promiseMade(Instant t, UUID promise, String text, Instant due) {
            return at(t, new PromiseMade(id, reference, promise, UUID.randomUUID(), text, due));
        }

        /** The promise, due at {@code due}, kept at {@code t}. */
        CaseEvent promiseKept(Instant t, UUID promise, Instant due) {
            return at(t, new PromiseKept(id, reference, promise, due, t));
        }

        /** A written response of {@code kind}, sent at {@code t}. */
        CaseEvent response(Instant t, InteractionKind kind, Instant expectedBy, String status, String... elements) {
            return at(
                    t,
                    new InteractionRecorded(
                            id,
                            reference,
                            UUID.randomUUID(),
                            kind,
                            "Our " + kind,
                            Direction.OUTBOUND,
                            Channel.EMAIL,
                            null,
                            null,
                            null,
                            t,
                            expectedBy,
                            status,
                            List.of(elements)));
        }

        CaseEvent resolved(Instant t) {
            return resolved(t, t);
        }

        /** Resolved at {@code resolvedAt}, by an event of {@code recorded}. */
        CaseEvent resolved(Instant recorded, Instant resolvedAt) {
            return at(
                    recorded,
                    new CaseResolved(id, reference, CaseStatus.IN_PROGRESS, "Refunded", Severity.HIGH, resolvedAt));
        }

        CaseEvent reopened(Instant t) {
            return at(t, new CaseReopened(id, reference, CaseStatus.RESOLVED, "still charged", null));
        }

        CaseEvent reclassified(Instant t, String from, String to) {
            return at(
                    t,
                    new CaseReclassified(
                            id,
                            reference,
                            from,
                            to,
                            "card",
                            "card",
                            "billing",
                            "billing",
                            "a payment service: DISP 1.6.2AR"));
        }
    }

    /** Sends the events (escalations on their own topic) and waits until the last one is applied. */
    void send(CaseEvent... events) throws SQLException {
        for (CaseEvent e : events) {
            KAFKA.send(e.type().startsWith("redress.escalation") ? Topics.CASE_ESCALATIONS : Topics.CASE_EVENTS, e);
        }
        CaseEvent last = events[events.length - 1];
        awaitUntil(() -> count("SELECT count(*) FROM processed_event WHERE event_id = ?", last.id()) == 1);
    }

    /** A new case, with the clock set to {@code t}. */
    TestCase newCaseAt(Instant t) {
        TestCase c = new TestCase();
        clock.set(t);
        return c;
    }

    /** A new case of {@code profile}, received at {@code t} with the clock set there, its receipt applied. */
    TestCase receivedCase(Instant t, String profile) throws SQLException {
        TestCase c = newCaseAt(t);
        send(c.received(t, profile));
        return c;
    }

    /** Eight upper-case letters and digits, new each time: a name no other test's calendar or profile has. */
    static String uniqueSuffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    /** A new calendar of that name, open Monday to Friday 09:00 to 17:00 London time (a rules-admin's call). */
    static void putWeekdayCalendar(String name) {
        given().contentType(ContentType.JSON)
                .body("""
                {"zone":"Europe/London","hours":{"MONDAY":{"open":"09:00","close":"17:00"},"TUESDAY":{"open":"09:00","close":"17:00"},
                 "WEDNESDAY":{"open":"09:00","close":"17:00"},"THURSDAY":{"open":"09:00","close":"17:00"},"FRIDAY":{"open":"09:00","close":"17:00"}}}""")
                .put("/calendars/" + name)
                .then()
                .statusCode(201);
    }

    /** An iCalendar file of one all-day holiday, "Office closed", on {@code day} ({@code yyyyMMdd}). */
    static String officeClosed(String day) {
        return String.join(
                "\r\n",
                "BEGIN:VCALENDAR",
                "BEGIN:VEVENT",
                "DTSTART;VALUE=DATE:" + day,
                "SUMMARY:Office closed",
                "END:VEVENT",
                "END:VCALENDAR",
                "");
    }

    /** Waits (up to {@link #WAIT}, every 100 ms) until {@code condition} holds. */
    static void awaitUntil(Callable<Boolean> condition) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(condition);
    }

    long count(String sql, Object param) throws SQLException {
        return Rows.count(dataSource, sql, param);
    }

    /**
     * Moves the clock to {@code t}, waits until the consumers have read through it (the record a test
     * sent has been applied, but its note in ConsumerProgress comes just after), wakes what is due,
     * and waits until the outbox has sent it.
     */
    void wakeAt(Instant t, UUID caseId) {
        clock.set(t);
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> readThrough.now().map(r -> !r.isBefore(t)).orElse(false));
        waker.wakeNow();
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        count("SELECT count(*) FROM outbox WHERE record_key = ? AND sent_at IS NULL", caseId.toString())
                                == 0);
    }

    /** The case's events of {@code type} (without the {@code redress.} prefix) on {@code case.followups}. */
    static List<CaseEvent> followups(UUID caseId, String type) {
        return KAFKA.caseRecords(Topics.CASE_FOLLOWUPS, caseId).stream()
                .map(KafkaTestClient.Received::event)
                .filter(e -> e.type().equals("redress." + type))
                .toList();
    }

    /** The case's {@code deadline.warning}s (or {@code deadline.breached}s, by {@code type}) of its deadline of {@code kind}. */
    static List<CaseEvent> deadlineEvents(UUID caseId, String type, String kind) {
        return followups(caseId, type).stream()
                .filter(e -> kind.equals(deadlineKind(e)))
                .toList();
    }

    /** The case's {@code deadline.breached}s of its deadline of {@code kind}. */
    static List<CaseEvent> breaches(UUID caseId, String kind) {
        return deadlineEvents(caseId, "deadline.breached", kind);
    }

    /** The case's {@code deadline.warning}s of its deadline of {@code kind}. */
    static List<CaseEvent> warnings(UUID caseId, String kind) {
        return deadlineEvents(caseId, "deadline.warning", kind);
    }

    static String deadlineKind(CaseEvent e) {
        Object p = payload(e);
        if (p instanceof DeadlineWarning w) {
            return w.kind();
        }
        if (p instanceof DeadlineBreached b) {
            return b.kind();
        }
        throw new IllegalArgumentException("not a deadline event: " + e.type());
    }

    @SuppressWarnings("unchecked")
    static <T> T payload(CaseEvent e) {
        return (T) EventCodec.payload(e).orElseThrow();
    }

    /** The time in a deadline's (or follow-up's) {@code field}. */
    static Instant instant(Map<String, Object> d, String field) {
        return Instant.parse((String) d.get(field));
    }

    /** The deadlines' statuses, in their order. */
    static List<Object> statuses(List<Map<String, Object>> deadlines) {
        return deadlines.stream().map(d -> d.get("status")).toList();
    }

    static List<Map<String, Object>> deadlines(UUID caseId) {
        return given().get("/cases/{id}/deadlines", caseId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }
}
