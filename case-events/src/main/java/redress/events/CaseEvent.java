package redress.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import redress.events.payload.CasePayload;

/**
 * A CloudEvents 1.0 envelope as Redress uses it. {@code data} is kept as JSON so that an event of
 * a type or version this reader does not know still round-trips whole; {@link EventCodec#payload}
 * turns it into its record.
 *
 * @param source       {@code /intake-service}
 * @param subject      the case id ({@code audit-log} for an auditor's read across the log, see
 *                     {@link redress.events.payload.AuditAccessed})
 * @param dataschema   {@code redress:complaint.received/1}
 * @param causationid  id of the event that caused this one, or null
 */
public record CaseEvent(
        UUID id,
        String type,
        String source,
        String subject,
        Instant time,
        String dataschema,
        UUID correlationid,
        UUID causationid,
        ActorType actortype,
        String actorid,
        String customerid,
        ObjectNode data) {

    public CaseEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /**
     * A new event about a case with a fresh id, stamped now (to the microsecond, as PostgreSQL keeps it).
     *
     * @param cause the event that led to this one (its correlation id carries over), or null
     */
    public static CaseEvent create(
            String source, Actor actor, String customerId, CasePayload payload, UUID correlationId, CaseEvent cause) {
        return create(
                source,
                actor,
                customerId,
                payload,
                correlationId,
                cause,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** As above, at a time the caller read from its own clock. */
    public static CaseEvent create(
            String source,
            Actor actor,
            String customerId,
            CasePayload payload,
            UUID correlationId,
            CaseEvent cause,
            Instant time) {
        EventType t = EventType.of(payload);
        UUID correlation = cause != null && cause.correlationid() != null
                ? cause.correlationid()
                : correlationId != null ? correlationId : UUID.randomUUID();
        return new CaseEvent(
                UUID.randomUUID(),
                t.type(),
                source,
                payload.subject(),
                time,
                t.dataschema(),
                correlation,
                cause == null ? null : cause.id(),
                actor.type(),
                actor.id(),
                customerId,
                EventCodec.toData(payload));
    }

    public Optional<EventType> eventType() {
        return EventType.fromType(type);
    }

    /** The case id, which is also the Kafka key. Fails for a subject that is not a case id ({@code audit-log}). */
    public UUID caseId() {
        return UUID.fromString(subject);
    }

    public Actor actor() {
        return actortype == null ? null : new Actor(actortype, actorid);
    }
}
