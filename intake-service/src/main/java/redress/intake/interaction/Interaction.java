package redress.intake.interaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.ActorType;
import redress.events.Channel;
import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;

/** One interaction on a case, as recorded; never changed afterwards. */
@Entity
public class Interaction extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID complaintId;

    @Enumerated(EnumType.STRING)
    public InteractionKind kind;

    public String text;

    @Enumerated(EnumType.STRING)
    public Direction direction;

    @Enumerated(EnumType.STRING)
    public Channel channel;

    @Enumerated(EnumType.STRING)
    public CustomerTone tone;

    public UUID promiseId;
    // Written responses: when the final response is expected, the CFPB portal status, the statements made.
    public Instant expectedBy;
    public String responseStatus;
    public String[] elements;
    // The SHA-256 of the document sent (lower-case hex), when intake-service rendered it (a letter).
    public String documentSha256;

    /**
     * What the language coaching lexicon made of an outbound text ({@code InteractionRecorded.Coaching}
     * as JSON); null for texts it does not check and for interactions recorded before it existed.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    public String coaching;

    @Enumerated(EnumType.STRING)
    public ActorType actorType;

    public String actorId;
    /** When it took place: given by the agent, or the time it was recorded. */
    public Instant occurredAt;
    /** When intake-service recorded it. */
    public Instant recordedAt;

    public static List<Interaction> ofCase(UUID complaintId) {
        return list("complaintId = ?1 order by occurredAt, id", complaintId);
    }

    public static boolean exists(UUID complaintId, InteractionKind kind) {
        return count("complaintId = ?1 and kind = ?2", complaintId, kind) > 0;
    }
}
