package redress.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import redress.events.payload.*;

/**
 * Every event type of the system, its payload record and the version of its schema. The wire type
 * is {@code redress.<name>}, the data schema {@code redress:<name>/<version>}.
 */
public enum EventType {
    // 2: the customer object is sealed (name and contact encrypted per customer; version 1 had them clear).
    COMPLAINT_RECEIVED("complaint.received", ComplaintReceived.class, Topics.CASE_EVENTS, 2),
    CASE_ACKNOWLEDGED("case.acknowledged", CaseAcknowledged.class, Topics.CASE_EVENTS),
    INTERACTION_RECORDED("interaction.recorded", InteractionRecorded.class, Topics.CASE_EVENTS),
    CASE_STATUS_CHANGED("case.status-changed", CaseStatusChanged.class, Topics.CASE_EVENTS),
    CASE_ASSIGNED("case.assigned", CaseAssigned.class, Topics.CASE_EVENTS),
    CASE_RESOLVED("case.resolved", CaseResolved.class, Topics.CASE_EVENTS),
    CASE_CLOSED("case.closed", CaseClosed.class, Topics.CASE_EVENTS),
    CASE_REOPENED("case.reopened", CaseReopened.class, Topics.CASE_EVENTS),
    PROMISE_MADE("promise.made", PromiseMade.class, Topics.CASE_EVENTS),
    PROMISE_KEPT("promise.kept", PromiseKept.class, Topics.CASE_EVENTS),
    CUSTOMER_ERASED("customer.erased", CustomerErased.class, Topics.CASE_EVENTS),
    CASE_RECLASSIFIED("case.reclassified", CaseReclassified.class, Topics.CASE_EVENTS),
    REDRESS_RECORDED("redress.recorded", RedressRecorded.class, Topics.CASE_EVENTS),
    TAXONOMY_CHANGED("taxonomy.changed", TaxonomyChanged.class, Topics.CASE_EVENTS),
    LETTER_DRAFTED("letter.drafted", LetterDrafted.class, Topics.CASE_EVENTS),
    LETTER_APPROVED("letter.approved", LetterApproved.class, Topics.CASE_EVENTS),
    CUSTOMER_VULNERABILITY_CHANGED("customer.vulnerability-changed", VulnerabilityChanged.class, Topics.CASE_EVENTS),
    CUSTOMER_VULNERABILITY_READ("customer.vulnerability-read", VulnerabilityRead.class, Topics.CASE_EVENTS),
    CASE_REVIEWED("case.reviewed", CaseReviewed.class, Topics.CASE_EVENTS),
    COACHING_LEXICON_CHANGED("coaching.lexicon-changed", CoachingLexiconChanged.class, Topics.CASE_EVENTS),
    ABUSE_REPORTED("abuse.reported", AbuseReported.class, Topics.CASE_EVENTS),
    ABUSE_REPORT_ACKNOWLEDGED("abuse.acknowledged", AbuseReportAcknowledged.class, Topics.CASE_EVENTS),
    AGENT_DEBRIEFED("agent.debriefed", AgentDebriefed.class, Topics.CASE_EVENTS),

    ESCALATION_RAISED("escalation.raised", EscalationRaised.class, Topics.CASE_ESCALATIONS),
    ESCALATION_ACKNOWLEDGED("escalation.acknowledged", EscalationAcknowledged.class, Topics.CASE_ESCALATIONS),
    ESCALATION_RESOLVED("escalation.resolved", EscalationResolved.class, Topics.CASE_ESCALATIONS),

    FOLLOWUP_SCHEDULED("followup.scheduled", FollowupScheduled.class, Topics.CASE_FOLLOWUPS),
    FOLLOWUP_DUE("followup.due", FollowupDue.class, Topics.CASE_FOLLOWUPS),
    FOLLOWUP_COMPLETED("followup.completed", FollowupCompleted.class, Topics.CASE_FOLLOWUPS),
    DEADLINE_WARNING("deadline.warning", DeadlineWarning.class, Topics.CASE_FOLLOWUPS),
    DEADLINE_BREACHED("deadline.breached", DeadlineBreached.class, Topics.CASE_FOLLOWUPS),
    PROMISE_MISSED("promise.missed", PromiseMissed.class, Topics.CASE_FOLLOWUPS),
    DEADLINE_CORRECTED("deadline.corrected", DeadlineCorrected.class, Topics.CASE_FOLLOWUPS),
    PROMISE_CORRECTED("promise.corrected", PromiseCorrected.class, Topics.CASE_FOLLOWUPS),
    PROGRESS_UPDATE_DUE("progress-update.due", ProgressUpdateDue.class, Topics.CASE_FOLLOWUPS),
    CUSTOMER_NOTICE_SUGGESTED("customer-notice.suggested", CustomerNoticeSuggested.class, Topics.CASE_FOLLOWUPS),

    AUDIT_ACCESSED("audit.accessed", AuditAccessed.class, Topics.AUDIT_ACCESS);

    public static final String TYPE_PREFIX = "redress.";
    public static final String SCHEMA_PREFIX = "redress:";

    private static final Map<String, EventType> BY_WIRE_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType> BY_PAYLOAD =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::payloadType, Function.identity()));

    private final String name;
    private final Class<? extends CasePayload> payloadType;
    private final String topic;
    private final int version;

    EventType(String name, Class<? extends CasePayload> payloadType, String topic) {
        this(name, payloadType, topic, 1);
    }

    EventType(String name, Class<? extends CasePayload> payloadType, String topic, int version) {
        this.name = name;
        this.payloadType = payloadType;
        this.topic = topic;
        this.version = version;
    }

    /** The schema version producers write now. Readers accept this one and older ones. */
    public int version() {
        return version;
    }

    /** The CloudEvents {@code type}: {@code redress.complaint.received}. */
    public String type() {
        return TYPE_PREFIX + name;
    }

    /** The CloudEvents {@code dataschema} of the current version. */
    public String dataschema() {
        return SCHEMA_PREFIX + name + "/" + version();
    }

    public Class<? extends CasePayload> payloadType() {
        return payloadType;
    }

    /** The topic the owning service publishes this type on. */
    public String topic() {
        return topic;
    }

    public static Optional<EventType> fromType(String wireType) {
        return Optional.ofNullable(BY_WIRE_TYPE.get(wireType));
    }

    public static EventType of(CasePayload payload) {
        EventType t = BY_PAYLOAD.get(payload.getClass());
        if (t == null) {
            throw new IllegalArgumentException(
                    "no event type for " + payload.getClass().getSimpleName());
        }
        return t;
    }
}
