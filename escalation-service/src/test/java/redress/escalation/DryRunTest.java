package redress.escalation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import redress.events.CaseEvent;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.testsupport.TestTokens;

/**
 * A dry-run replays the recorded history through the live evaluator: with the current rules it
 * finds the escalations live evaluation raised, a draft that never fires finds none of its own, and
 * it writes nothing.
 */
@QuarkusTest
class DryRunTest {

    @Inject
    DataSource dataSource;

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles)).contentType(ContentType.JSON);
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
        Awaitility.await().atMost(ConsumerTest.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> count(
                "SELECT count(*) FROM case_history WHERE case_id IN ('" + repeat1.id + "', '" + repeat2.id + "')") == 2);
        send(repeat3.received(Severity.LOW));
        send(repeat3.interaction(InteractionKind.CUSTOMER_CONTACT, redress.events.CustomerTone.ANGRY, "again"));
        List<ConsumerTest.TestCase> cases = List.of(critical, rejected, help, quiet, repeat1, repeat2, repeat3);
        Map<UUID, Integer> events = Map.of(critical.id, 2, rejected.id, 3, help.id, 2, quiet.id, 3, repeat1.id, 1,
                repeat2.id, 1, repeat3.id, 2);

        // Live evaluation has seen every event.
        Awaitility.await().atMost(ConsumerTest.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (ConsumerTest.TestCase c : cases) {
                if (count("SELECT count(*) FROM case_history WHERE case_id = '" + c.id + "'") != events.get(c.id)) {
                    return false;
                }
            }
            return true;
        });
        Set<List<String>> live = new HashSet<>();
        for (ConsumerTest.TestCase c : cases) {
            List<Map<String, Object>> items = as("sue", "supervisor").get("/cases/" + c.id + "/escalations").then()
                    .statusCode(200).extract().path("items");
            items.forEach(e -> live.add(List.of(c.id.toString(), (String) e.get("level"), (String) e.get("ruleId"))));
        }
        assertTrue(live.contains(List.of(critical.id.toString(), "SUPERVISOR", "critical-severity")), live.toString());
        assertTrue(live.stream().noneMatch(e -> e.get(0).equals(quiet.id.toString())), live.toString());
        assertTrue(live.contains(List.of(repeat3.id.toString(), "TEAM_LEAD", "angry-repeat-complainant")), live.toString());

        Map<String, Long> before = tables();

        // The critical-severity rule unchanged: the whole current rule set, as live ran it.
        List<Map<String, Object>> all = dryRunAll("/rules/critical-severity/dry-run", null);
        Set<String> ours = new HashSet<>(cases.stream().map(c -> c.id.toString()).toList());
        Set<List<String>> dry = new HashSet<>();
        all.stream().filter(e -> ours.contains(e.get("caseId")))
                .forEach(e -> dry.add(List.of((String) e.get("caseId"), (String) e.get("level"), (String) e.get("ruleId"))));
        assertEquals(live, dry);
        all.stream().filter(e -> e.get("caseId").equals(critical.id.toString()) && e.get("ruleId").equals("critical-severity"))
                .forEach(e -> assertEquals(1, e.get("ruleVersion")));

        JsonPath answer = as("rita", "rules-admin").post("/rules/critical-severity/dry-run?limit=200").then().statusCode(200)
                .extract().jsonPath();
        assertFalse(answer.getBoolean("truncated"));
        assertTrue(answer.getLong("events") >= 10);
        assertTrue(answer.getString("from").compareTo(answer.getString("to")) <= 0);

        // A draft that never fires: none of its own; replacing critical-severity, the critical case escalates only later.
        String never = """
                {"name":"Never","condition":"severity == 'NONE_SUCH'","target":"MANAGER","position":1,"reason":"never"}""";
        List<Map<String, Object>> drafted = dryRunAll("/rules/dry-run", never);
        assertTrue(drafted.stream().noneMatch(e -> "draft".equals(e.get("ruleId"))));
        List<Map<String, Object>> replaced = dryRunAll("/rules/critical-severity/dry-run", never);
        assertTrue(replaced.stream().noneMatch(e -> "critical-severity".equals(e.get("ruleId"))));
        assertTrue(replaced.stream().noneMatch(e -> critical.id.toString().equals(e.get("caseId")) && "SUPERVISOR".equals(e.get("level"))));

        // The bound on the work.
        as("rita", "rules-admin").post("/rules/critical-severity/dry-run?maxEvents=1").then().statusCode(200)
                .body("truncated", is(true)).body("events", is(1));
        // An invalid draft: 422 naming line and column, as POST /rules.
        as("rita", "rules-admin").body("""
                {"name":"Bad","condition":"severity ==","target":"MANAGER","reason":"bad"}""").post("/rules/dry-run").then()
                .statusCode(422).contentType("application/problem+json").body("detail", startsWith("condition 1:"));
        as("rita", "rules-admin").body(never).post("/rules/no-such-rule/dry-run").then().statusCode(404);
        as("ana", "agent").body(never).post("/rules/dry-run").then().statusCode(403);
        as("ana", "agent").post("/rules/critical-severity/dry-run").then().statusCode(403);

        assertEquals(before, tables(), "a dry-run writes nothing");
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
        for (String t : List.of("escalation", "outbox", "case_projection", "case_history", "rule",
                "rule_version", "processed_event")) {
            counts.put(t, count("SELECT count(*) FROM " + t));
        }
        // Each case's rule edges, folded into one number that changes when any of them changes.
        counts.put("rules_satisfied", count("SELECT coalesce(sum(hashtext(case_id::text || ':' || satisfied_rules)), 0) "
                + "FROM case_projection"));
        return counts;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
