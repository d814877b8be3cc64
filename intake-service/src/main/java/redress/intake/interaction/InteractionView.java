package redress.intake.interaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;

import redress.events.ActorType;
import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.EventCodec;
import redress.events.InteractionKind;
import redress.events.payload.InteractionRecorded.Coaching;
import redress.intake.abuse.AbuseReportLink;

public record InteractionView(
        UUID id,
        UUID caseId,
        InteractionKind kind,
        String text,
        Direction direction,
        Channel channel,
        CustomerTone tone,
        UUID promiseId,
        Instant dueAt,
        Instant expectedBy,
        String responseStatus,
        List<String> elements,
        ActorType actorType,
        String actorId,
        Instant occurredAt,
        Instant recordedAt,
        String documentSha256,
        Coaching coaching,
        AbuseReportLink abuseReport) {

    static InteractionView of(Interaction i, Instant dueAt) {
        return new InteractionView(
                i.id,
                i.complaintId,
                i.kind,
                i.text,
                i.direction,
                i.channel,
                i.tone,
                i.promiseId,
                dueAt,
                i.expectedBy,
                i.responseStatus,
                i.elements == null ? null : List.of(i.elements),
                i.actorType,
                i.actorId,
                i.occurredAt,
                i.recordedAt,
                i.documentSha256,
                coaching(i.coaching),
                null);
    }

    /**
     * The same, naming the abuse report its recording filed (issue 31; only in the response to a
     * {@code CONVERSATION_ENDED} that filed one).
     */
    InteractionView withAbuseReport(AbuseReportLink report) {
        return new InteractionView(
                id,
                caseId,
                kind,
                text,
                direction,
                channel,
                tone,
                promiseId,
                dueAt,
                expectedBy,
                responseStatus,
                elements,
                actorType,
                actorId,
                occurredAt,
                recordedAt,
                documentSha256,
                coaching,
                report);
    }

    /** The stored coaching of an interaction, as its event carries it. */
    static Coaching coaching(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(stored, Coaching.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored coaching cannot be read", e);
        }
    }

    static String stored(Coaching coaching) {
        if (coaching == null) {
            return null;
        }
        try {
            return EventCodec.mapper().writeValueAsString(coaching);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
