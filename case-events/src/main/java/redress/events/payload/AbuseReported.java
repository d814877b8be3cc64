package redress.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import redress.events.CustomerTone;
import redress.events.EscalationLevel;

/**
 * {@code redress.abuse.reported} (issue 31): an agent ended a conversation with a customer who was
 * abusive or threatening, and the conversation was reported to supervisors, whatever the case's
 * level (seed 001: "If they become abusive or threatening, end the conversation and report it to
 * your supervisor"). {@code interactionId} is the {@code CONVERSATION_ENDED} interaction, {@code
 * tone} the customer's last tone in the conversation ({@code ABUSIVE} or {@code THREATENING}),
 * {@code endedBy} the agent who ended it, {@code level} the case's level at the time (the report
 * does not move the case), {@code record} the ids of the conversation's interactions (the record
 * itself stays with intake-service; the texts are in their own {@code interaction.recorded} events)
 * and {@code breakOffered} whether the agent was offered a break (a debrief, {@link AgentDebriefed}).
 */
public record AbuseReported(
        UUID caseId,
        String reference,
        UUID reportId,
        UUID interactionId,
        CustomerTone tone,
        String endedBy,
        EscalationLevel level,
        List<UUID> record,
        boolean breakOffered,
        Instant reportedAt)
        implements CasePayload {

    public AbuseReported {
        record = record == null ? List.of() : List.copyOf(record);
    }
}
