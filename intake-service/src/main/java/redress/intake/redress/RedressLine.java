package redress.intake.redress;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.RedressKind;
import redress.events.RedressStage;

/** One line of a case's redress ledger: only ever added. */
@Entity
@Table(name = "redress")
public class RedressLine extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID caseId;

    @Enumerated(EnumType.STRING)
    public RedressStage stage;

    @Enumerated(EnumType.STRING)
    public RedressKind kind;

    /** Whole minor units of {@link #currency}: never a float. */
    public long amountMinor;

    public String currency;
    public String note;
    public String recordedBy;
    public Instant recordedAt;
    /** When the offer was made, accepted or the payment made: given by the agent, else {@link #recordedAt}. */
    public Instant occurredAt;
    /** The line this one reverses (its amount the opposite of that line's), or null. */
    public UUID reverses;
    /** The caller's Idempotency-Key, and a hash of what it asked for: a retry answers this line. */
    public String idempotencyKey;

    public String requestHash;

    public static List<RedressLine> ofCase(UUID caseId) {
        return list("caseId = ?1 order by occurredAt, recordedAt, id", caseId);
    }
}
