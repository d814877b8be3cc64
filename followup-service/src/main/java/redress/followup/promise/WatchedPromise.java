package redress.followup.promise;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A promise an agent made to the customer: pending until kept, or missed at its due time. */
@Entity
@Table(name = "promise")
public class WatchedPromise extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String KEPT = "KEPT";
    public static final String MISSED = "MISSED";

    @Id
    public UUID id;

    public UUID caseId;
    public String reference;
    public String text;
    public Instant dueAt;
    public String state;
    public Instant keptAt;
    public Instant missedAt;
    public Instant nextAt;
    /** The {@code promise.missed} announced for it, which a correction withdraws by name. */
    public UUID missedEventId;

    @Version
    public int version;
}
