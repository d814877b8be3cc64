package redress.intake.interaction;

import java.time.Instant;
import java.util.UUID;

import redress.events.ActorType;
import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;

public record InteractionView(UUID id, UUID caseId, InteractionKind kind, String text, Direction direction,
        Channel channel, CustomerTone tone, UUID promiseId, Instant dueAt, ActorType actorType, String actorId,
        Instant occurredAt) {

    static InteractionView of(Interaction i, Instant dueAt) {
        return new InteractionView(i.id, i.complaintId, i.kind, i.text, i.direction, i.channel, i.tone, i.promiseId,
                dueAt, i.actorType, i.actorId, i.occurredAt);
    }
}
