package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.agent.debriefed} (issue 31): the break offered to the agent {@code agentId} after
 * the abuse report {@code reportId} was taken ({@code breakTaken}, for {@code breakMinutes} when
 * given) or declined, as recorded by {@code debriefedBy} (the agent or a supervisor); once a report.
 * Whether a note was written is {@code withNote}: the note, the agent's own words about how they
 * are, stays with intake-service and never travels.
 */
public record AgentDebriefed(
        UUID caseId,
        String reference,
        UUID reportId,
        String agentId,
        String debriefedBy,
        boolean breakTaken,
        Integer breakMinutes,
        boolean withNote,
        Instant debriefedAt)
        implements CasePayload {}
