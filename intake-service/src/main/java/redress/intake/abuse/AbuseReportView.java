package redress.intake.abuse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import redress.events.CustomerTone;
import redress.events.EscalationLevel;
import redress.intake.interaction.InteractionView;

/**
 * An abuse report as supervisors read it. {@code status} is {@code OPEN} until a supervisor
 * acknowledges it, then {@code ACKNOWLEDGED}; {@code debrief} is null until the agent's break was
 * recorded. {@code record} is the conversation's interactions (the ended one last), on the single
 * report only (null in lists, which name them by {@code recordIds}).
 */
public record AbuseReportView(
        UUID id,
        UUID caseId,
        String reference,
        UUID interactionId,
        CustomerTone tone,
        String endedBy,
        EscalationLevel level,
        String status,
        boolean breakOffered,
        Instant reportedAt,
        String acknowledgedBy,
        Instant acknowledgedAt,
        Debrief debrief,
        List<UUID> recordIds,
        List<InteractionView> record) {

    /** The break the agent was offered, as recorded. */
    public record Debrief(
            String debriefedBy, Instant debriefedAt, boolean breakTaken, Integer breakMinutes, String note) {}

    static final String OPEN = "OPEN";
    static final String ACKNOWLEDGED = "ACKNOWLEDGED";

    static String status(AbuseReport r) {
        return r.acknowledged() ? ACKNOWLEDGED : OPEN;
    }

    static AbuseReportView of(AbuseReport r, String reference, List<InteractionView> record) {
        return new AbuseReportView(
                r.id,
                r.complaintId,
                reference,
                r.interactionId,
                r.tone,
                r.endedBy,
                r.level,
                status(r),
                true,
                r.reportedAt,
                r.acknowledgedBy,
                r.acknowledgedAt,
                r.debriefed()
                        ? new Debrief(r.debriefedBy, r.debriefedAt, r.breakTaken, r.breakMinutes, r.debriefNote)
                        : null,
                List.of(r.recordIds),
                record);
    }
}
