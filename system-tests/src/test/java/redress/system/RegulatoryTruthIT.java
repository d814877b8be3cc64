package redress.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.Topics;
import redress.events.payload.CaseAcknowledged;
import redress.testsupport.KafkaTestClient;

/**
 * The regulatory record across the four built services (issue 27), on the DEMO profile (an
 * acknowledgement due 20 s after receipt): followup-service paused while a case is acknowledged
 * and resolved in time leaves both deadlines MET, no breach and no escalation; an acknowledgement
 * that reaches the topic only after its deadline was announced breached (a relay held back, put on
 * the topic here as another producer would) corrects the record: the breach is withdrawn and the
 * escalation it raised resolved, and the audit log keeps both. An acknowledgement sent in time and
 * recorded through intake only after the breach, with its {@code occurredAt}, corrects it the same way.
 */
class RegulatoryTruthIT extends AgainstTheSystem {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(90);
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPausedFollowupServiceAndALateAcknowledgementLeaveATrueRecord() throws Exception {
        JsonNode paused = complaint("C-TRUTH-PAUSED");
        JsonNode late = complaint("C-TRUTH-LATE");
        JsonNode typedIn = complaint("C-TRUTH-TYPED-IN");
        String a = paused.path("id").asText();
        String b = late.path("id").asText();
        String c = typedIn.path("id").asText();
        for (String id : List.of(a, b, c)) {
            Awaitility.await()
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> deadlineStatus(id, "ACKNOWLEDGEMENT") != null);
        }

        // followup-service is paused (SIGSTOP) while case A is acknowledged and resolved in time.
        system.process("followup-service").freeze();
        try {
            post(
                    "intake-service",
                    "/complaints/" + a + "/interactions",
                    "agent",
                    Map.of("kind", "ACKNOWLEDGEMENT", "text", "We have your complaint"));
            post(
                    "intake-service",
                    "/complaints/" + a + "/resolution",
                    "agent",
                    Map.of(
                            "summary",
                            "Refunded the double charge",
                            "outcome",
                            "UPHELD",
                            "rootCause",
                            "INCORRECT_CHARGES",
                            "productGroup",
                            "CURRENT_ACCOUNT"));
            Instant ackDue = Instant.parse(paused.path("receivedAt").asText()).plusSeconds(20);
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), ackDue).toMillis()) + 3_000);
        } finally {
            system.process("followup-service").resume();
        }
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "MET".equals(deadlineStatus(a, "ACKNOWLEDGEMENT"))
                        && "MET".equals(deadlineStatus(a, "FINAL_RESPONSE")));

        // Case B was never acknowledged through intake: breached, escalated to a manager.
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "BREACHED".equals(deadlineStatus(b, "ACKNOWLEDGEMENT"))
                        && "BREACHED".equals(deadlineStatus(b, "FIRST_RESPONSE"))
                        && escalations(b).stream()
                                .anyMatch(e -> "deadline-breached"
                                        .equals(e.path("ruleId").asText())));
        // Then its acknowledgement, made a second after receipt, reaches the topic late.
        Instant acked = Instant.parse(late.path("receivedAt").asText()).plusSeconds(1);
        new KafkaTestClient(system.infrastructure().bootstrapServers())
                .send(
                        Topics.CASE_EVENTS,
                        CaseEvent.create(
                                "/intake-service",
                                new Actor(ActorType.AGENT, "late-relay"),
                                "C-TRUTH-LATE",
                                new CaseAcknowledged(
                                        UUID.fromString(b),
                                        late.path("reference").asText(),
                                        UUID.randomUUID(),
                                        acked),
                                null,
                                null,
                                acked));
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "MET".equals(deadlineStatus(b, "ACKNOWLEDGEMENT"))
                        && escalations(b).stream()
                                .allMatch(
                                        e -> "RESOLVED".equals(e.path("status").asText())));
        JsonNode withdrawn = escalations(b).stream()
                .filter(e -> "deadline-breached".equals(e.path("ruleId").asText()))
                .findFirst()
                .orElseThrow();
        assertTrue(withdrawn.path("outcome").asText().startsWith("breach withdrawn"), withdrawn.toString());

        // Case C's acknowledgement letter went out a second after receipt; the agent records it only
        // after the breach was announced, saying when it was sent.
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "BREACHED".equals(deadlineStatus(c, "ACKNOWLEDGEMENT")));
        String sent = Instant.parse(typedIn.path("receivedAt").asText())
                .plusSeconds(1)
                .toString();
        post(
                "intake-service",
                "/complaints/" + c + "/interactions",
                "agent",
                Map.of("kind", "ACKNOWLEDGEMENT", "text", "Letter of acknowledgement", "occurredAt", sent));
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "MET".equals(deadlineStatus(c, "ACKNOWLEDGEMENT"))
                        && history(c).contains("redress.deadline.corrected"));

        List<String> historyA = history(a);
        assertFalse(historyA.contains("redress.deadline.breached"), "A: " + historyA);
        assertTrue(escalations(a).isEmpty(), "A was never escalated");
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> history(b).contains("redress.escalation.resolved"));
        List<String> historyB = history(b);
        assertEquals(
                2, historyB.stream().filter("redress.deadline.breached"::equals).count(), "B: " + historyB);
        assertEquals(
                2,
                historyB.stream().filter("redress.deadline.corrected"::equals).count(),
                "B: " + historyB);
        assertTrue(
                historyB.indexOf("redress.deadline.breached") < historyB.indexOf("redress.deadline.corrected"),
                "the log keeps the breach, then its correction: " + historyB);
    }

    JsonNode complaint(String customer) throws Exception {
        return post(
                "intake-service",
                "/complaints",
                "complaint-submitter",
                Map.of(
                        "customer",
                        Map.of("id", customer, "name", "Robin Example"),
                        "channel",
                        "LETTER",
                        "category",
                        "billing",
                        "summary",
                        "Charged twice",
                        "severity",
                        "MEDIUM",
                        "regulatoryProfile",
                        "DEMO"));
    }

    String deadlineStatus(String caseId, String kind) throws Exception {
        String status = null;
        for (JsonNode d : get("followup-service", "/cases/" + caseId + "/deadlines", "agent")
                .path("items")) {
            if (kind.equals(d.path("kind").asText())) {
                status = d.path("status").asText();
            }
        }
        return status;
    }

    List<JsonNode> escalations(String caseId) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        get("escalation-service", "/cases/" + caseId + "/escalations", "supervisor")
                .path("items")
                .forEach(all::add);
        return all;
    }

    List<String> history(String caseId) throws Exception {
        List<String> types = new ArrayList<>();
        get("audit-service", "/audit/cases/" + caseId, "auditor")
                .path("history")
                .forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    JsonNode get(String service, String path, String role) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(system.baseUrl(service) + path))
                        .header("Authorization", "Bearer " + system.token("truth-" + role, role))
                        .timeout(Duration.ofSeconds(15))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    JsonNode post(String service, String path, String role, Object body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(system.baseUrl(service) + path))
                        .header("Authorization", "Bearer " + system.token("truth-" + role, role))
                        .timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, path + ": " + r.statusCode() + " " + r.body());
        return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }
}
