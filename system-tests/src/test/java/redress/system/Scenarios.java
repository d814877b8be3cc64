package redress.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.EventCodec;
import redress.events.EventType;
import redress.events.Topics;
import redress.localrun.scenario.DifficultCustomer;
import redress.localrun.scenario.DifficultCustomer.AuditEntry;

/** What the end-to-end tests share: playing the scenario on a system, and the checks on its history. */
final class Scenarios {

    /**
     * The case's events as the uncrashed scenario causes them, in the order their producers stamped
     * them ({@code time}): the history every run must end with.
     */
    static final List<String> EXPECTED = List.of(
            "complaint.received",
            "interaction.recorded",
            "case.status-changed", // UPSET contact: OPEN -> IN_PROGRESS
            "interaction.recorded",
            "case.acknowledged", // acknowledgement
            "case.assigned", // the agent takes the case
            "interaction.recorded", // apology
            "interaction.recorded", // ANGRY contact
            "escalation.raised", // tone-rising: a TEAM_LEAD watch, the agent keeps the case
            "interaction.recorded", // the blaming reply (coaching findings)
            "interaction.recorded", // the better reply
            "interaction.recorded",
            "case.status-changed", // offer; AWAITING_CUSTOMER
            "interaction.recorded",
            "interaction.recorded",
            "interaction.recorded", // rejected, offer, rejected
            "escalation.resolved", // the watch ends: the case is handed over to its level
            "escalation.raised",
            "case.assigned",
            "escalation.acknowledged", // TEAM_LEAD
            "interaction.recorded",
            "interaction.recorded", // ABUSIVE contact, boundary warning
            "interaction.recorded", // conversation ended
            "abuse.reported",
            "escalation.raised",
            "case.assigned",
            "escalation.acknowledged", // SUPERVISOR
            "interaction.recorded", // the suggested customer notice, sent
            "abuse.acknowledged",
            "agent.debriefed",
            "interaction.recorded", // manager demanded
            "interaction.recorded",
            "promise.made", // expectation set
            "promise.missed",
            "escalation.raised",
            "case.assigned",
            "escalation.acknowledged", // MANAGER
            "interaction.recorded", // THREATENING contact
            "interaction.recorded", // conversation ended: reported at MANAGER, the case not moved
            "abuse.reported",
            "abuse.acknowledged",
            "case.resolved",
            "followup.scheduled",
            "case.reviewed",
            "followup.due",
            "followup.completed",
            "case.reopened");

    /**
     * followup-service suggests a customer notice for each hand-over as it consumes the
     * {@code escalation.raised}, when intake moves the case on the same event: its place among them
     * is a race, so notices are counted rather than placed.
     */
    static final String NOTICE = "customer-notice.suggested";

    private Scenarios() {}

    static DifficultCustomer scenario(SystemUnderTest system) {
        Map<String, String> tokens = new HashMap<>();
        for (String role : List.of("complaint-submitter", "agent", "supervisor", "auditor")) {
            tokens.put(role, system.token("scenario-" + role, role));
        }
        return new DifficultCustomer(
                        new DifficultCustomer.Endpoints(
                                system.baseUrl("intake"),
                                system.baseUrl("escalation"),
                                system.baseUrl("followup"),
                                system.baseUrl("audit")),
                        tokens)
                .output(line -> System.out.println(java.time.Instant.now() + " scenario " + line));
    }

    /** The case's events (auditors' reads left out), ordered by their time, the log's order for equal times. */
    static List<AuditEntry> events(DifficultCustomer.Result result) {
        List<AuditEntry> events = new ArrayList<>();
        for (AuditEntry e : result.history()) {
            // A progress-update reminder falls due after a silence of the DEMO cadence, which a crash
            // and restart can make: the one case it is asserted on is the scenario's quiet case.
            if (!e.type().equals("redress.audit.accessed") && !e.type().equals("redress.progress-update.due")) {
                events.add(e);
            }
        }
        events.sort(Comparator.comparing(AuditEntry::eventTime).thenComparingLong(AuditEntry::seq));
        // The scenario's last step reopens the case, which starts the DEMO profile's final response
        // again (40 s, warned at half): how many of its warnings the history holds depends only on
        // how long after that step it is read, so the deadlines' events after it are left out.
        int reopened = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type().equals("redress.case.reopened")) {
                reopened = i;
            }
        }
        if (reopened >= 0) {
            List<AuditEntry> after = events.subList(reopened + 1, events.size());
            after.removeIf(e -> e.type().startsWith("redress.deadline."));
        }
        return events;
    }

    static List<String> types(List<AuditEntry> events) {
        return events.stream().map(e -> e.type().substring("redress.".length())).toList();
    }

    /**
     * The checks every run must pass, crashed or not: the scenario ran to the end, the history is the
     * expected one (no event missing, none twice: every event id once), the escalation ladder,
     * causes before their effects, and a log that verifies.
     */
    static void assertHistory(SystemUnderTest system, DifficultCustomer.Result result) throws Exception {
        assertTrue(result.ok(), "the scenario stopped: " + result.failure());
        List<AuditEntry> events = events(result);
        List<String> types = types(events);
        assertEquals(
                EXPECTED, types.stream().filter(t -> !t.equals(NOTICE)).toList(), "the case's history, by event time");
        assertEquals(
                DifficultCustomer.ESCALATION_LADDER.stream()
                        .filter(e -> e.get(2).equals("HAND_OVER"))
                        .count(),
                types.stream().filter(NOTICE::equals).count(),
                "a customer notice for each hand-over");
        assertEquals(result.expectedTypes(), EXPECTED, "the scenario's own record of what it caused");

        Set<String> ids = new HashSet<>();
        for (AuditEntry e : result.history()) {
            assertTrue(ids.add(e.eventId()), "event " + e.eventId() + " (" + e.type() + ") is in the log twice");
        }
        List<Long> caseSeqs = result.history().stream().map(AuditEntry::caseSeq).toList();
        for (int i = 0; i < caseSeqs.size(); i++) {
            assertEquals(i + 1L, caseSeqs.get(i), "caseSeq without gaps");
        }

        // One escalation per crossing, the ladder the default rules give, each acknowledged, each applied by intake.
        List<DifficultCustomer.Escalation> escalations = result.escalations();
        assertEquals(DifficultCustomer.ESCALATION_LADDER.size(), escalations.size(), escalations.toString());
        String previous = "AGENT";
        for (int i = 0; i < escalations.size(); i++) {
            DifficultCustomer.Escalation e = escalations.get(i);
            assertEquals(
                    DifficultCustomer.ESCALATION_LADDER.get(i),
                    List.of(e.level(), e.ruleId(), e.action(), e.status()),
                    e.toString());
            assertEquals(previous, e.previousLevel(), e.toString());
            assertTrue(!e.briefing().isBlank(), "briefing of " + e);
            if (e.action().equals("HAND_OVER")) {
                previous = e.level(); // a watch leaves the case where it was
            }
        }
        List<String> raised = events.stream()
                .filter(e -> e.type().equals("redress.escalation.raised"))
                .map(e ->
                        e.data().path("escalationId").asText(e.data().path("id").asText()))
                .toList();
        assertEquals(
                escalations.stream().map(DifficultCustomer.Escalation::id).toList(),
                raised,
                "each escalation is in the log once, in order");

        // intake's view at the end.
        JsonNode c = result.finalCase();
        assertEquals("REOPENED", c.path("status").asText(), c.toString());
        assertEquals("MANAGER", c.path("level").asText(), c.toString());
        assertEquals(1, c.path("reopenCount").asInt(), c.toString());

        // Each producer's events of the case in the order it wrote them (Kafka keeps one case's order per topic).
        for (String topic : List.of(Topics.CASE_EVENTS, Topics.CASE_ESCALATIONS, Topics.CASE_FOLLOWUPS)) {
            List<AuditEntry> logged = result.history().stream()
                    .filter(e -> EventType.fromType(e.type())
                            .map(t -> t.topic().equals(topic))
                            .orElse(false))
                    .toList();
            for (int i = 1; i < logged.size(); i++) {
                assertTrue(
                        !logged.get(i).eventTime().isBefore(logged.get(i - 1).eventTime()),
                        topic + ": #" + logged.get(i).seq() + " "
                                + logged.get(i).type() + " logged after a later event #"
                                + logged.get(i - 1).seq() + " "
                                + logged.get(i - 1).type());
            }
        }

        // Nothing doubled in the services either: what intake, followup-service hold for the case.
        JsonNode interactions = EventCodec.mapper()
                .readTree(system.process("intake")
                        .get("/complaints/" + result.caseId() + "/interactions")
                        .body());
        assertEquals(
                EXPECTED.stream().filter("interaction.recorded"::equals).count(), interactions.size(), "interactions");
        JsonNode promises = EventCodec.mapper()
                .readTree(system.process("intake")
                        .get("/complaints/" + result.caseId() + "/promises")
                        .body());
        assertEquals(1, promises.size(), promises.toString());
        assertEquals("MISSED", promises.get(0).path("status").asText(), promises.toString());
        JsonNode followups = EventCodec.mapper()
                .readTree(system.process("followup")
                        .get("/followups?caseId=" + result.caseId())
                        .body());
        assertEquals(1, followups.path("items").size(), followups.toString());

        assertTrue(result.verify().path("ok").asBoolean(), result.verify().toString());
    }

    /** One entry of the log's export: its sequence number and the envelope it records. */
    record Logged(long seq, JsonNode envelope) {}

    /**
     * Every entry the log recorded from {@code from} on, as an auditor exports them
     * ({@code GET /audit/export}), in the log's order.
     */
    static List<Logged> export(SystemUnderTest system, Instant from) throws IOException, InterruptedException {
        HttpResponse<String> export = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(system.baseUrl("audit") + "/audit/export?from=" + from))
                                .header("Authorization", "Bearer " + system.token("scenario-auditor", "auditor"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, export.statusCode(), export.body());
        List<Logged> entries = new ArrayList<>();
        for (String line : export.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode l = EventCodec.mapper().readTree(line);
            if (!"entry".equals(l.path("kind").asText())) {
                continue;
            }
            // The entry's canonical object holds the envelope (a string when it had inexact numbers:
            // docs/audit-log.md).
            JsonNode envelope =
                    EventCodec.mapper().readTree(l.path("canonical").asText()).path("envelope");
            if (envelope.isTextual()) {
                envelope = EventCodec.mapper().readTree(envelope.asText());
            }
            entries.add(new Logged(l.path("seq").asLong(), envelope));
        }
        return entries;
    }

    /**
     * Reads the case's envelopes from the log's export: every cause an event names is an entry of the
     * case; returns the effects logged before their cause (possible across topics: the log keeps the
     * order of consumption, docs/audit.md "Order").
     */
    static List<String> causesLoggedLate(SystemUnderTest system, DifficultCustomer.Result result)
            throws IOException, InterruptedException {
        Map<String, Long> seqOf = new HashMap<>();
        List<String[]> causes = new ArrayList<>();
        for (Logged logged : export(system, result.startedAt().minusSeconds(5))) {
            JsonNode envelope = logged.envelope();
            if (!result.caseId().equals(envelope.path("subject").asText())) {
                continue;
            }
            seqOf.put(envelope.path("id").asText(), logged.seq());
            if (envelope.path("causationid").isTextual()) {
                causes.add(new String[] {
                    envelope.path("id").asText(),
                    envelope.path("causationid").asText(),
                    envelope.path("type").asText()
                });
            }
        }
        assertTrue(causes.size() >= 10, "the case's events name their causes: " + causes.size());
        List<String> late = new ArrayList<>();
        for (String[] c : causes) {
            Long effect = seqOf.get(c[0]);
            Long cause = seqOf.get(c[1]);
            assertTrue(cause != null, c[2] + " " + c[0] + " names a cause " + c[1] + " that is not in the case's log");
            if (cause > effect) {
                late.add(c[2] + " #" + effect + " logged before its cause #" + cause);
            }
        }
        return late;
    }
}
