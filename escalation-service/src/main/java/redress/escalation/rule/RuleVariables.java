package redress.escalation.rule;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

import redress.escalation.projection.CaseProjection;
import redress.escalation.projection.CustomerComplaints;
import redress.events.CaseEvent;
import redress.events.CustomerTone;
import redress.events.EventType;
import redress.events.payload.CasePayload;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineWarning;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.InteractionRecorded;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;

/**
 * The variables a rule's condition may use, each declared with its type, so that a typo or a
 * comparison of the wrong type is refused when the rule is saved. Strings that are unknown are
 * empty, never null. {@code event_*} describe the event being evaluated; its time is "now".
 */
public final class RuleVariables {

    /** Name and CEL type of every variable, in the order the documentation lists them. */
    public static final Map<String, CelType> DECLARED;

    static {
        Map<String, CelType> d = new LinkedHashMap<>();
        d.put("severity", SimpleType.STRING); // LOW, MEDIUM, HIGH, CRITICAL
        d.put("category", SimpleType.STRING);
        d.put("product", SimpleType.STRING);
        d.put("regulatory_profile", SimpleType.STRING);
        d.put("level", SimpleType.STRING); // AGENT, TEAM_LEAD, SUPERVISOR, MANAGER
        d.put("level_rank", SimpleType.INT); // 0..3
        d.put("assignee", SimpleType.STRING);
        d.put("status", SimpleType.STRING);
        d.put("tones", ListType.create(SimpleType.STRING)); // every customer contact's tone, in order
        d.put("tone", SimpleType.STRING); // the last one
        d.put("tone_trend", SimpleType.STRING); // RISING, FALLING, STEADY, NONE
        d.put("boundary_warnings", SimpleType.INT);
        d.put("conversations_ended", SimpleType.INT);
        d.put("solutions_rejected", SimpleType.INT);
        d.put("reopenings", SimpleType.INT);
        d.put("promises_missed", SimpleType.INT);
        d.put("assistance_requests", SimpleType.INT);
        d.put("manager_requests", SimpleType.INT);
        d.put("deadline_warnings", SimpleType.INT);
        d.put("deadline_breaches", SimpleType.INT);
        d.put("followups_dissatisfied", SimpleType.INT);
        d.put("earlier_complaints", SimpleType.INT);
        d.put("coaching_findings", SimpleType.INT); // language coaching findings on the case's outbound texts so far
        d.put(
                "vulnerable",
                SimpleType.BOOL); // the customer is vulnerable (FCA FG21/1); the drivers and note never reach this
        // service
        d.put(
                "complaints_90d",
                SimpleType.INT); // the customer's complaints received in the 90 days up to the event, this one included
        d.put("hours_open", SimpleType.INT);
        d.put("event_type", SimpleType.STRING); // interaction.recorded, promise.missed, ...
        d.put("event_kind", SimpleType.STRING); // the interaction kind, or empty
        d.put("event_tone", SimpleType.STRING); // the contact's tone, or empty
        d.put("event_dissatisfied", SimpleType.BOOL); // a follow-up that found the customer not satisfied
        d.put(
                "event_deadline_kind",
                SimpleType.STRING); // ACKNOWLEDGEMENT, FINAL_RESPONSE, ... of a deadline.* event, or empty
        d.put("event_deadline_profile", SimpleType.STRING); // the profile that deadline comes from, or empty
        DECLARED = Collections.unmodifiableMap(d);
    }

    private RuleVariables() {}

    /**
     * The values of every declared variable for a case after {@code event} was applied to it, for
     * the rules to run on at once. {@code complaints_90d}, the one that searches the customer's
     * other cases, is counted when a condition first reads it (most conditions that use it test the
     * tone first and never get there), from {@code customer} as it is then.
     *
     * @param customer the customer's other complaints, for {@code complaints_90d}
     */
    public static Map<String, Object> of(
            CaseProjection p, CaseEvent event, CasePayload payload, CustomerComplaints customer) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("severity", text(p.severity));
        v.put("category", text(p.category));
        v.put("product", text(p.product));
        v.put("regulatory_profile", text(p.regulatoryProfile));
        v.put("level", p.level);
        v.put("level_rank", (long) p.levelValue().ordinal());
        v.put("assignee", text(p.assignee));
        v.put("status", text(p.status));
        List<CustomerTone> tones = p.toneList();
        v.put("tones", tones.stream().map(Enum::name).toList());
        v.put("tone", CaseProjection.lastTone(tones));
        v.put("tone_trend", CaseProjection.toneTrend(tones));
        v.put("boundary_warnings", (long) p.boundaryWarnings);
        v.put("conversations_ended", (long) p.conversationsEnded);
        v.put("solutions_rejected", (long) p.solutionsRejected);
        v.put("reopenings", (long) p.reopenings);
        v.put("promises_missed", (long) p.promisesMissed);
        v.put("assistance_requests", (long) p.assistanceRequests);
        v.put("manager_requests", (long) p.managerRequests);
        v.put("deadline_warnings", (long) p.deadlineWarnings);
        v.put("deadline_breaches", (long) p.deadlineBreaches);
        v.put("followups_dissatisfied", (long) p.followupsDissatisfied);
        v.put("earlier_complaints", (long) p.earlierComplaints);
        v.put("coaching_findings", (long) p.coachingFindings);
        v.put("vulnerable", p.vulnerable);
        v.put("complaints_90d", null); // counted when first read (Variables)
        v.put(
                "hours_open",
                p.receivedAt == null
                        ? 0L
                        : Math.max(
                                0L, Duration.between(p.receivedAt, event.time()).toHours()));
        String type = event.type().startsWith(EventType.TYPE_PREFIX)
                ? event.type().substring(EventType.TYPE_PREFIX.length())
                : event.type();
        v.put("event_type", type);
        InteractionRecorded i = payload instanceof InteractionRecorded r ? r : null;
        v.put("event_kind", i == null || i.kind() == null ? "" : i.kind().name());
        v.put("event_tone", i == null || i.tone() == null ? "" : i.tone().name());
        v.put("event_dissatisfied", payload instanceof FollowupCompleted f && Boolean.FALSE.equals(f.satisfied()));
        String deadlineKind = "";
        String deadlineProfile = "";
        if (payload instanceof DeadlineWarning w) {
            deadlineKind = text(w.kind());
            deadlineProfile = text(w.profile());
        } else if (payload instanceof DeadlineBreached b) {
            deadlineKind = text(b.kind());
            deadlineProfile = text(b.profile());
        }
        v.put("event_deadline_kind", deadlineKind);
        v.put("event_deadline_profile", deadlineProfile);
        // Read now: the projection goes on changing with the batch's next events.
        Instant receivedAt = p.receivedAt;
        String customerId = p.customerId;
        UUID caseId = p.caseId;
        Instant time = event.time();
        return new Variables(v, () -> CustomerComplaints.inWindow(caseId, customerId, receivedAt, time, customer));
    }

    /** The variables, {@code complaints_90d} counted once, when first read. */
    private static final class Variables extends AbstractMap<String, Object> {
        private final Map<String, Object> values;
        private LongSupplier complaints90d;

        Variables(Map<String, Object> values, LongSupplier complaints90d) {
            this.values = values;
            this.complaints90d = complaints90d;
        }

        @Override
        public Object get(Object name) {
            if (complaints90d != null && "complaints_90d".equals(name)) {
                values.put("complaints_90d", complaints90d.getAsLong());
                complaints90d = null;
            }
            return values.get(name);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            get("complaints_90d");
            return Collections.unmodifiableMap(values).entrySet();
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
