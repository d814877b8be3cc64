package redress.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.awaitility.Awaitility;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import redress.audit.log.Received;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.InteractionKind;
import redress.events.Severity;
import redress.events.Topics;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReclassified;
import redress.events.payload.CaseReopened;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.events.payload.EscalationRaised;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.InteractionRecorded;
import redress.testsupport.KafkaTestClient;

/** Events as the other services publish them, and ways to wait for the log to hold them. */
final class Events {

    static final KafkaTestClient KAFKA = KafkaTestClient.forTests();
    static final Actor INTAKE = new Actor(ActorType.INTEGRATION, "crm");
    static final Actor AGENT = new Actor(ActorType.AGENT, "agent-7");

    static CaseEvent received(UUID caseId, String customer, String category, String product) {
        return received(caseId, customer, category, product, Severity.HIGH, Instant.now());
    }

    static CaseEvent received(
            UUID caseId, String customer, String category, String product, Severity severity, Instant receivedAt) {
        return event(
                "/intake-service",
                INTAKE,
                customer,
                ComplaintReceived.builder()
                        .caseId(caseId)
                        .reference(ref(caseId))
                        .customer(new Customer(customer, "Ada", null, null))
                        .channel(Channel.EMAIL)
                        .category(category)
                        .product(product)
                        .summary("Charged twice")
                        .severity(severity)
                        .level(EscalationLevel.AGENT)
                        .status(CaseStatus.OPEN)
                        .regulatoryProfile("DEFAULT")
                        .receivedAt(receivedAt)
                        .registeredAt(receivedAt)
                        .build());
    }

    static CaseEvent interaction(UUID caseId, String customer, String text) {
        return event(
                "/intake-service",
                AGENT,
                customer,
                new InteractionRecorded(
                        caseId,
                        ref(caseId),
                        UUID.randomUUID(),
                        InteractionKind.APOLOGY,
                        text,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Instant.now(),
                        null,
                        null,
                        null));
    }

    /** {@code n} interactions of the case, as read from case.events, their texts {@code text} and 0, 1, ... */
    static List<Received> interactions(UUID caseId, String customer, String text, int n) {
        List<Received> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Received.encoded(interaction(caseId, customer, text + i), Topics.CASE_EVENTS));
        }
        return batch;
    }

    static CaseEvent escalated(UUID caseId, String customer) {
        return escalated(caseId, customer, null);
    }

    /** An escalation to SUPERVISOR with {@code action} (null: none, as events written before actions). */
    static CaseEvent escalated(UUID caseId, String customer, EscalationAction action) {
        return event(
                "/escalation-service",
                Actor.system("escalation-service"),
                customer,
                EscalationRaised.builder()
                        .escalationId(UUID.randomUUID())
                        .caseId(caseId)
                        .reference(ref(caseId))
                        .level(EscalationLevel.SUPERVISOR)
                        .previousLevel(EscalationLevel.AGENT)
                        .severity(Severity.HIGH)
                        .reason("tone rising")
                        .ruleId("tone")
                        .ruleVersion(1)
                        .briefing("briefing")
                        .action(action)
                        .build());
    }

    static CaseEvent followup(UUID caseId, String customer, boolean satisfied) {
        return event(
                "/followup-service",
                Actor.system("followup-service"),
                customer,
                new FollowupCompleted(UUID.randomUUID(), caseId, ref(caseId), "SATISFACTION", satisfied, 2, "meh"));
    }

    static CaseEvent reopened(UUID caseId, String customer) {
        return event(
                "/intake-service",
                Actor.system("intake-service"),
                customer,
                new CaseReopened(caseId, ref(caseId), CaseStatus.RESOLVED, "unhappy", null));
    }

    static CaseEvent reclassified(UUID caseId, String customer, String fromCategory, String category, String product) {
        return event(
                "/intake-service",
                AGENT,
                customer,
                new CaseReclassified(
                        caseId,
                        ref(caseId),
                        "DEFAULT",
                        "DEFAULT",
                        null,
                        product,
                        fromCategory,
                        category,
                        "it was a delivery complaint"));
    }

    /** The payload in an envelope from {@code source}, by {@code actor}, of {@code customer}. */
    static CaseEvent event(String source, Actor actor, String customer, CasePayload payload) {
        return CaseEvent.create(source, actor, customer, payload, null, null);
    }

    /** {@code POST /audit/verify} of a saved checkpoint (or of what stands for one), as JSON. */
    static ValidatableResponse postVerify(String json) {
        return RestAssured.given()
                .contentType("application/json")
                .body(json)
                .post("/audit/verify")
                .then();
    }

    static ValidatableResponse postVerify(Map<String, Object> checkpoint) {
        return RestAssured.given()
                .contentType("application/json")
                .body(checkpoint)
                .post("/audit/verify")
                .then();
    }

    static void publish(CaseEvent e) {
        KAFKA.send(e.eventType().orElseThrow().topic(), e);
    }

    static String ref(UUID caseId) {
        return "CMP-2026-" + caseId.toString().substring(0, 6);
    }

    /** Waits until the case's history in the log has {@code n} entries, and returns it. */
    static JsonPath awaitHistory(UUID caseId, int n) {
        return awaitHistory(caseId, h -> h.getInt("entries") >= n);
    }

    /**
     * Waits until the case's history in the log passes {@code done}, and returns it without the
     * auditors' reads of it: each poll here is such a read, and lands in the history a moment later.
     */
    static JsonPath awaitHistory(UUID caseId, Predicate<JsonPath> done) {
        return awaitHistory(RestAssured::given, caseId, done);
    }

    /** {@link #awaitHistory(UUID, Predicate)}, each read made as {@code reader} gives it. */
    static JsonPath awaitHistory(Supplier<RequestSpecification> reader, UUID caseId, Predicate<JsonPath> done) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            var r = reader.get().get("/audit/cases/" + caseId);
                            return r.statusCode() == 200 ? withoutReads(r.asString()) : null;
                        },
                        h -> h != null && done.test(h));
    }

    /** The type of an auditor's read of the log. */
    static final String READ = "redress.audit.accessed";
    /** GPath of a page's entries that are not auditors' reads. */
    static final String CASE_WORK = "items.findAll { it.type != '" + READ + "' }";

    /** A case history answer with the auditors' reads left out, and {@code entries} counting the rest. */
    static JsonPath withoutReads(String body) throws java.io.IOException {
        var n = (com.fasterxml.jackson.databind.node.ObjectNode)
                redress.events.EventCodec.mapper().readTree(body);
        var kept = n.arrayNode();
        n.path("history").forEach(e -> {
            if (!READ.equals(e.path("type").asText())) {
                kept.add(e);
            }
        });
        n.set("history", kept);
        n.put("entries", kept.size());
        return new JsonPath(n.toString());
    }

    static List<String> types(JsonPath history) {
        return history.getList("history.type");
    }

    private Events() {}
}
