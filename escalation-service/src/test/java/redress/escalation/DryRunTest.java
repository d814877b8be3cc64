package redress.escalation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import redress.escalation.escalate.DryRun;
import redress.escalation.rule.RuleBody;
import redress.escalation.rule.Rules;
import redress.escalation.rule.Rules.LiveRule;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.testsupport.TestTokens;

/**
 * A dry-run replays the recorded history through the live evaluator: with the current rules it
 * finds the escalations live evaluation raised, a draft that never fires finds none of its own, it
 * writes nothing, and it replays each stored event once while the history changes under it.
 */
@QuarkusTest
class DryRunTest {

    @Inject
    DataSource dataSource;

    @Inject
    DryRun dryRun;

    @Inject
    Rules rules;

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles))
                .contentType(ContentType.JSON);
    }

    static void send(CaseEvent event) throws InterruptedException {
        ConsumerTest.KAFKA.send(Topics.CASE_EVENTS, event);
        Thread.sleep(2); // distinct event times: (time, id) order is the order sent
    }

    @Test
    void dryRunAgreesWithLiveEvaluationAndWritesNothing() throws Exception {
        ConsumerTest.TestCase critical = new ConsumerTest.TestCase();
        ConsumerTest.TestCase rejected = new ConsumerTest.TestCase();
        ConsumerTest.TestCase help = new ConsumerTest.TestCase();
        ConsumerTest.TestCase quiet = new ConsumerTest.TestCase();
        send(critical.received(Severity.CRITICAL));
        send(rejected.received(Severity.LOW));
        send(help.received(Severity.MEDIUM));
        send(quiet.received(Severity.LOW));
        send(rejected.interaction(InteractionKind.SOLUTION_REJECTED, null, "no"));
        send(help.interaction(InteractionKind.ASSISTANCE_REQUESTED, null, "need help"));
        send(quiet.interaction(InteractionKind.NOTE, null, "noted"));
        send(rejected.interaction(InteractionKind.SOLUTION_REJECTED, null, "still no"));
        send(quiet.interaction(InteractionKind.MANAGER_REQUESTED, null, "get me your manager"));
        send(critical.interaction(InteractionKind.ASSISTANCE_REQUESTED, null, "help on top"));
        // An angry repeat complainant: counted from the customer's cases this service has, live and in the replay.
        ConsumerTest.TestCase repeat1 = new ConsumerTest.TestCase();
        ConsumerTest.TestCase repeat2 = new ConsumerTest.TestCase(repeat1.customer);
        ConsumerTest.TestCase repeat3 = new ConsumerTest.TestCase(repeat1.customer);
        send(repeat1.received(Severity.LOW));
        send(repeat2.received(Severity.LOW));
        Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM case_history WHERE case_id IN ('" + repeat1.id + "', '"
                                + repeat2.id + "')")
                        == 2);
        send(repeat3.received(Severity.LOW));
        send(repeat3.interaction(InteractionKind.CUSTOMER_CONTACT, redress.events.CustomerTone.ANGRY, "again"));
        List<ConsumerTest.TestCase> cases = List.of(critical, rejected, help, quiet, repeat1, repeat2, repeat3);
        Map<UUID, Integer> events = Map.of(
                critical.id, 2, rejected.id, 3, help.id, 2, quiet.id, 3, repeat1.id, 1, repeat2.id, 1, repeat3.id, 2);

        // Live evaluation has seen every event.
        Awaitility.await()
                .atMost(ConsumerTest.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (ConsumerTest.TestCase c : cases) {
                        if (count("SELECT count(*) FROM case_history WHERE case_id = '" + c.id + "'")
                                != events.get(c.id)) {
                            return false;
                        }
                    }
                    return true;
                });
        Set<List<String>> live = new HashSet<>();
        for (ConsumerTest.TestCase c : cases) {
            List<Map<String, Object>> items = as("sue", "supervisor")
                    .get("/cases/" + c.id + "/escalations")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("items");
            items.forEach(e -> live.add(List.of(
                    c.id.toString(), (String) e.get("level"), (String) e.get("ruleId"), (String) e.get("action"))));
        }
        assertTrue(
                live.contains(List.of(critical.id.toString(), "SUPERVISOR", "critical-severity", "HAND_OVER")),
                live.toString());
        assertTrue(live.stream().noneMatch(e -> e.get(0).equals(quiet.id.toString())), live.toString());
        assertTrue(
                live.contains(List.of(repeat3.id.toString(), "TEAM_LEAD", "angry-repeat-complainant", "WATCH")),
                live.toString());

        Map<String, Long> before = tables();

        // The critical-severity rule unchanged: the whole current rule set, as live ran it.
        List<Map<String, Object>> all = dryRunAll("/rules/critical-severity/dry-run", null);
        Set<String> ours =
                new HashSet<>(cases.stream().map(c -> c.id.toString()).toList());
        Set<List<String>> dry = new HashSet<>();
        all.stream()
                .filter(e -> ours.contains(e.get("caseId")))
                .forEach(e -> dry.add(
                        List.of((String) e.get("caseId"), (String) e.get("level"), (String) e.get("ruleId"), (String)
                                e.get("action"))));
        assertEquals(live, dry, "the same escalations, with the same actions");
        all.stream()
                .filter(e -> e.get("caseId").equals(critical.id.toString())
                        && e.get("ruleId").equals("critical-severity"))
                .forEach(e -> assertEquals(1, e.get("ruleVersion")));

        JsonPath answer = as("rita", "rules-admin")
                .post("/rules/critical-severity/dry-run?limit=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertFalse(answer.getBoolean("truncated"));
        assertTrue(answer.getLong("events") >= 10);
        assertTrue(answer.getString("from").compareTo(answer.getString("to")) <= 0);

        // A draft that never fires: none of its own; replacing critical-severity, the critical case escalates only
        // later.
        String never = """
                {"name":"Never","condition":"severity == 'NONE_SUCH'","target":"MANAGER","position":1,"reason":"never"}""";
        List<Map<String, Object>> drafted = dryRunAll("/rules/dry-run", never);
        assertTrue(drafted.stream().noneMatch(e -> "draft".equals(e.get("ruleId"))));
        List<Map<String, Object>> replaced = dryRunAll("/rules/critical-severity/dry-run", never);
        assertTrue(replaced.stream().noneMatch(e -> "critical-severity".equals(e.get("ruleId"))));
        assertTrue(replaced.stream()
                .noneMatch(e -> critical.id.toString().equals(e.get("caseId")) && "SUPERVISOR".equals(e.get("level"))));

        // The bound on the work.
        as("rita", "rules-admin")
                .post("/rules/critical-severity/dry-run?maxEvents=1")
                .then()
                .statusCode(200)
                .body("truncated", is(true))
                .body("events", is(1));
        // An invalid draft: 422 naming line and column, as POST /rules.
        as("rita", "rules-admin")
                .body("""
                {"name":"Bad","condition":"severity ==","target":"MANAGER","reason":"bad"}""")
                .post("/rules/dry-run")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", startsWith("condition 1:"));
        as("rita", "rules-admin")
                .body(never)
                .post("/rules/no-such-rule/dry-run")
                .then()
                .statusCode(404);
        as("ana", "agent").body(never).post("/rules/dry-run").then().statusCode(403);
        as("ana", "agent").post("/rules/critical-severity/dry-run").then().statusCode(403);

        assertEquals(before, tables(), "a dry-run writes nothing");
    }

    /**
     * Events are recorded and deleted, all the time, at the start of the replay order (case ids
     * below every random one) while dry-runs read the history seven rows a page: every event stored
     * throughout is replayed exactly once. Paged by OFFSET, each row recorded there moved the next
     * page back over rows already replayed, and each row deleted moved it past one never replayed.
     */
    @Test
    void aDryRunReplaysEachStoredEventOnceWhileTheHistoryChanges() throws Exception {
        // Stored events, one CRITICAL complaint a case: a draft rule fires once on each, so its
        // escalations say how often each event was replayed.
        Map<UUID, UUID> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(INSERT_HISTORY)) {
            for (int i = 0; i < 300; i++) {
                ConsumerTest.TestCase t = new ConsumerTest.TestCase();
                CaseEvent e = t.received(Severity.CRITICAL);
                record(insert, t.id, e);
                stored.put(t.id, e.id());
            }
            insert.executeBatch();
        }
        List<LiveRule> draft = QuarkusTransaction.requiringNew()
                .call(() -> rules.liveWith(
                        new RuleBody(
                                "replay-once",
                                "Replay once",
                                "severity == 'CRITICAL'",
                                "MANAGER",
                                0,
                                true,
                                "replayed",
                                null),
                        "replay-once",
                        0));

        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicLong rounds = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread churn = new Thread(
                () -> {
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement insert = c.prepareStatement(INSERT_HISTORY);
                            Statement s = c.createStatement()) {
                        while (churning.get()) {
                            for (int k = 1; k <= 5; k++) {
                                record(
                                        insert,
                                        UUID.fromString("00000000-0000-0000-0000-00000000000" + k),
                                        new ConsumerTest.TestCase().received(Severity.LOW));
                                insert.executeBatch();
                            }
                            s.executeUpdate(
                                    "DELETE FROM case_history WHERE case_id < '00000000-0000-0000-0000-000000000010'");
                            rounds.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.set(e);
                    }
                },
                "history-churn");
        churn.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 5 || failed.get() != null);
            assertNull(failed.get());
            for (int run = 0; run < 3; run++) {
                long before = rounds.get();
                DryRun.Answer answer =
                        dryRun.run(draft, DryRun.MAX_MAX_EVENTS, "replay-once", null, Integer.MAX_VALUE, 7);
                assertTrue(rounds.get() > before, "the history changed while the dry-run read it");
                assertFalse(answer.truncated());
                Map<UUID, List<UUID>> replayed = answer.escalations().stream()
                        .filter(w -> "replay-once".equals(w.ruleId()) && stored.containsKey(w.caseId()))
                        .collect(Collectors.groupingBy(
                                DryRun.Would::caseId, Collectors.mapping(DryRun.Would::eventId, Collectors.toList())));
                Set<UUID> left = new HashSet<>(stored.keySet());
                left.removeAll(replayed.keySet());
                assertEquals(Set.of(), left, "stored events left out of the replay");
                replayed.forEach((caseId, events) -> assertEquals(
                        List.of(stored.get(caseId)), events, "case " + caseId + " replayed more than once"));
            }
        } finally {
            churning.set(false);
            churn.join(10_000);
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate(
                        "DELETE FROM case_history WHERE case_id < '00000000-0000-0000-0000-000000000010' OR case_id IN ("
                                + stored.keySet().stream()
                                        .map(id -> "'" + id + "'")
                                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        assertNull(failed.get());
    }

    private static final String INSERT_HISTORY = "INSERT INTO case_history "
            + "(event_id, case_id, type, time, topic, envelope, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** Adds an event to the batch of {@link #INSERT_HISTORY}, stored under the given case id. */
    private static void record(PreparedStatement insert, UUID caseId, CaseEvent e) throws SQLException {
        insert.setObject(1, e.id());
        insert.setObject(2, caseId);
        insert.setString(3, e.type());
        insert.setObject(4, OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC));
        insert.setString(5, Topics.CASE_EVENTS);
        insert.setBytes(6, EventCodec.encodeBytes(e));
        insert.setObject(7, OffsetDateTime.now(ZoneOffset.UTC));
        insert.addBatch();
    }

    private List<Map<String, Object>> dryRunAll(String path, String body) {
        List<Map<String, Object>> all = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            RequestSpecification r = as("rita", "rules-admin").queryParam("limit", 3);
            if (next != null) {
                r.queryParam("after", next);
            }
            if (body != null) {
                r.body(body);
            }
            JsonPath page = r.post(path).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("escalations");
            assertTrue(items.size() <= 3);
            all.addAll(items);
            next = page.getString("next");
            pages++;
        } while (next != null && pages < 1000);
        return all;
    }

    private Map<String, Long> tables() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : List.of(
                "escalation", "outbox", "case_projection", "case_history", "rule", "rule_version", "processed_event")) {
            counts.put(t, count("SELECT count(*) FROM " + t));
        }
        // Each case's rule edges, folded into one number that changes when any of them changes.
        counts.put(
                "rules_satisfied",
                count("SELECT coalesce(sum(hashtext(case_id::text || ':' || satisfied_rules)), 0) "
                        + "FROM case_projection"));
        return counts;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
