package redress.audit.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import redress.events.EventCodec;

/**
 * An entry as an auditor reads it: who did what, when, in words, with the event's data. Built from
 * the hashed canonical bytes, not from the query columns.
 */
public record EntryView(
        long seq,
        long caseSeq,
        UUID eventId,
        String type,
        String caseId,
        String customerId,
        String actor,
        String eventTime,
        String recordedAt,
        String description,
        JsonNode data) {

    public static EntryView of(byte[] canonical) {
        JsonNode e;
        try {
            e = EventCodec.mapper().readTree(canonical);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        JsonNode data = envelope(e.path("envelope")).path("data");
        String actorType = text(e, "actorType");
        String actorId = text(e, "actorId");
        return new EntryView(
                e.path("seq").asLong(),
                e.path("caseSeq").asLong(),
                UUID.fromString(e.path("eventId").asText()),
                e.path("type").asText(),
                e.path("caseId").asText(),
                text(e, "customerId"),
                actorType == null || actorId == null ? actorId : actorType + ":" + actorId,
                e.path("eventTime").asText(),
                e.path("recordedAt").asText(),
                describe(e.path("type").asText(), data),
                data);
    }

    /** Exact numbers: an envelope kept as its received text holds numbers a double cannot. */
    private static final ObjectReader EXACT = EventCodec.mapper()
            .reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(JsonNodeFactory.withExactBigDecimals(true));

    /** The envelope object; one logged as its received text (docs/audit-log.md) is read with exact numbers. */
    static JsonNode envelope(JsonNode logged) {
        if (!logged.isTextual()) {
            return logged;
        }
        try {
            return EXACT.readTree(logged.textValue());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static final String RETENTION = "RETENTION";

    /** One line of plain language per event type; the data carries the rest. */
    static String describe(String type, JsonNode d) {
        String t = type.startsWith("redress.") ? type.substring("redress.".length()) : type;
        return switch (t) {
            case "complaint.received" ->
                "Complaint received via " + d.path("channel").asText("?") + ": "
                        + d.path("summary").asText("") + " (category "
                        + d.path("category").asText("?") + ", severity "
                        + d.path("severity").asText("?") + ", profile "
                        + d.path("regulatoryProfile").asText("?") + ")";
            case "case.acknowledged" -> "Complaint acknowledged to the customer";
            case "interaction.recorded" -> {
                StringBuilder s = new StringBuilder(d.path("kind").asText("Interaction"));
                if (d.hasNonNull("direction")) {
                    s.append(" (")
                            .append(d.path("direction").asText())
                            .append(' ')
                            .append(d.path("channel").asText())
                            .append(", customer ")
                            .append(d.path("tone").asText())
                            .append(')');
                }
                s.append(": ").append(d.path("text").asText(""));
                if (d.hasNonNull("dueAt")) {
                    s.append(" (due ").append(d.path("dueAt").asText()).append(')');
                }
                yield s.toString();
            }
            case "case.status-changed" ->
                "Status " + d.path("from").asText() + " -> " + d.path("to").asText()
                        + (d.hasNonNull("reason") ? " (" + d.path("reason").asText() + ")" : "");
            case "case.assigned" ->
                (d.hasNonNull("assignee")
                                ? "Assigned to " + d.path("assignee").asText() + " at "
                                : "Queued unassigned at ")
                        + d.path("level").asText()
                        + (d.hasNonNull("escalationId") ? " by escalation" : "") + "; briefing: "
                        + d.path("briefing").asText("");
            case "case.resolved" -> "Resolved: " + d.path("summary").asText("") + decision(d);
            case "redress.recorded" ->
                "Redress " + d.path("stage").asText("?") + ": "
                        + d.path("amountMinor").asText("?")
                        + " minor units of " + d.path("currency").asText("?") + " ("
                        + d.path("kind").asText("?") + ")"
                        + (d.hasNonNull("occurredAt") && !d.path("occurredAt").equals(d.path("recordedAt"))
                                ? ", took place " + d.path("occurredAt").asText()
                                : "")
                        + (d.hasNonNull("note") ? ": " + d.path("note").asText() : "");
            case "taxonomy.changed" ->
                "Complaint taxonomy version " + d.path("version").asText("?") + ": "
                        + d.path("productGroups").size() + " product groups, "
                        + d.path("rootCauses").size() + " root causes ("
                        + d.path("reason").asText("") + ")";
            case "coaching.lexicon-changed" ->
                "Coaching lexicon version " + d.path("version").asText("?") + " ("
                        + d.path("language").asText("?") + "): "
                        + d.path("entries").size() + " entries ("
                        + d.path("reason").asText("") + ")";
            case "abuse.reported" ->
                "Abuse reported to supervisors: conversation ended by "
                        + d.path("endedBy").asText("?") + ", customer "
                        + d.path("tone").asText("?") + ", case at "
                        + d.path("level").asText("?") + " (not moved); record of "
                        + d.path("record").size() + " interactions"
                        + (d.path("breakOffered").asBoolean() ? "; break offered" : "");
            case "abuse.acknowledged" ->
                "Abuse report acknowledged by " + d.path("acknowledgedBy").asText("?");
            case "agent.debriefed" ->
                "Debrief of " + d.path("agentId").asText("?") + ": break "
                        + (d.path("breakTaken").asBoolean()
                                ? "taken"
                                        + (d.hasNonNull("breakMinutes")
                                                ? " (" + d.path("breakMinutes").asText() + " minutes)"
                                                : "")
                                : "declined")
                        + (d.path("withNote").asBoolean() ? ", with a note" : "");
            case "case.closed" ->
                "Closed" + (d.hasNonNull("reason") ? " (" + d.path("reason").asText() + ")" : "");
            case "case.reopened" -> "Reopened: " + d.path("reason").asText("");
            case "promise.made" ->
                "Promised: " + d.path("text").asText("") + " (due "
                        + d.path("dueAt").asText() + ")";
            case "promise.kept" -> "Promise kept";
            case "customer.erased" ->
                "Customer " + d.path("customerId").asText("?") + ": name and contact erased ("
                        + (RETENTION.equals(d.path("trigger").asText()) ? "retention" : "on request") + ", key "
                        + d.path("keyId").asText("?") + " destroyed): "
                        + d.path("reason").asText("");
            case "promise.missed" ->
                "Promise missed (was due " + d.path("dueAt").asText() + ")";
            case "escalation.raised" ->
                ("WATCH".equals(d.path("action").asText())
                                ? "Watched from " + d.path("level").asText() + " (the owner keeps the case): "
                                : "Escalated to " + d.path("level").asText() + ": ")
                        + d.path("reason").asText("")
                        + (d.hasNonNull("ruleId")
                                ? " (rule " + d.path("ruleId").asText() + " v"
                                        + d.path("ruleVersion").asText() + ")"
                                : "");
            case "escalation.acknowledged" ->
                "Escalation acknowledged by " + d.path("acknowledgedBy").asText("?");
            case "escalation.resolved" ->
                "Escalation resolved: " + d.path("outcome").asText("");
            case "followup.scheduled" ->
                "Follow-up " + d.path("kind").asText() + " scheduled for "
                        + d.path("dueAt").asText();
            case "followup.due" -> "Follow-up " + d.path("kind").asText() + " due";
            case "followup.completed" ->
                "Follow-up " + d.path("kind").asText() + ": customer "
                        // An audit record says only what the event says: no answer is not a yes.
                        + (!d.path("satisfied").isBoolean()
                                ? "satisfaction not recorded"
                                : d.path("satisfied").booleanValue() ? "satisfied" : "not satisfied")
                        + (d.hasNonNull("feedback") ? " (" + d.path("feedback").asText() + ")" : "");
            case "deadline.warning" ->
                "Deadline " + d.path("kind").asText() + " (" + d.path("profile").asText() + ") approaching: due "
                        + d.path("dueAt").asText();
            case "deadline.breached" ->
                "Deadline " + d.path("kind").asText() + " (" + d.path("profile").asText() + ") breached: was due "
                        + d.path("dueAt").asText();
            case "audit.accessed" ->
                "Audit log read: " + d.path("operation").asText("?")
                        + (d.path("parameters").isObject()
                                        && !d.path("parameters").isEmpty()
                                ? " " + d.path("parameters").toString()
                                : "")
                        + (d.hasNonNull("entries") ? ", " + d.path("entries").asText() + " entries" : "")
                        + (d.hasNonNull("verified")
                                ? (d.path("verified").asBoolean() ? ", held" : ", did not hold")
                                : "");
            default -> "Event " + type;
        };
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * A resolution's decision in words: " (outcome UPHELD, root cause OTHER, product group
     * SAVINGS; taxonomy v2)", naming only what the event holds; empty when it holds none.
     */
    static String decision(JsonNode d) {
        List<String> parts = new ArrayList<>();
        if (d.hasNonNull("outcome")) {
            parts.add("outcome " + d.path("outcome").asText());
        }
        if (d.hasNonNull("rootCause")) {
            parts.add("root cause " + d.path("rootCause").asText());
        }
        if (d.hasNonNull("productGroup")) {
            parts.add("product group " + d.path("productGroup").asText());
        }
        if (parts.isEmpty()) {
            return "";
        }
        return " (" + String.join(", ", parts)
                + (d.hasNonNull("taxonomyVersion")
                        ? "; taxonomy v" + d.path("taxonomyVersion").asText()
                        : "") + ")";
    }
}
