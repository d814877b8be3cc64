package redress.intake.interaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import redress.events.ActorType;
import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;

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
        String documentSha256) {

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
                i.documentSha256);
    }
}
