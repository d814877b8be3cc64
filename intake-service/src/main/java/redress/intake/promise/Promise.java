package redress.intake.promise;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.PromiseStatus;

/** An expectation set with the customer: what was promised, by when, and whether it was kept. */
@Entity
public class Promise extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID complaintId;
    public UUID interactionId;
    public String text;
    public Instant dueAt;

    @Enumerated(EnumType.STRING)
    public PromiseStatus status;

    public String madeBy;
    public Instant madeAt;
    public Instant keptAt;
    public Instant missedAt;

    public static List<Promise> ofCase(UUID complaintId) {
        return list("complaintId = ?1 order by madeAt, id", complaintId);
    }
}
