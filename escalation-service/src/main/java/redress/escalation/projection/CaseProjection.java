package redress.escalation.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.CaseStatus;
import redress.events.CustomerTone;
import redress.events.EscalationLevel;
import redress.events.Severity;

/**
 * What escalation rules see of a case, as of the last event applied ({@link Projector}). A case
 * whose {@code complaint.received} has not arrived yet (follow-ups come on another topic) starts at
 * level AGENT with unknown attributes.
 */
@Entity
public class CaseProjection extends PanacheEntityBase {

    @Id
    public UUID caseId;
    public String reference;
    public String customerId;
    public String summary;
    public String severity;
    public String category;
    public String product;
    public String regulatoryProfile;
    public String level = EscalationLevel.AGENT.name();
    public String assignee;
    public String status;
    /** The tone of each customer contact, in order, comma-separated. */
    public String tones = "";
    public int boundaryWarnings;
    public int conversationsEnded;
    public int solutionsRejected;
    public int reopenings;
    public int promisesMissed;
    public int assistanceRequests;
    public int managerRequests;
    public int deadlineWarnings;
    public int deadlineBreaches;
    public int followupsDissatisfied;
    public int earlierComplaints;
    public Instant receivedAt;
    public Instant lastEventAt;

    public static CaseProjection create(UUID caseId) {
        CaseProjection p = new CaseProjection();
        p.caseId = caseId;
        return p;
    }

    /**
     * The cases' projections, locked for this transaction in case-id order (both consumers may
     * touch one case), created when new.
     */
    public static java.util.Map<UUID, CaseProjection> lockedOrNew(java.util.Set<UUID> caseIds) {
        getEntityManager().createNativeQuery("INSERT INTO case_projection (case_id, level, last_event_at) "
                + "SELECT id, 'AGENT', now() FROM unnest(cast(?1 as uuid[])) AS id ORDER BY id ON CONFLICT DO NOTHING")
                .setParameter(1, caseIds.toArray(UUID[]::new)).executeUpdate();
        java.util.Map<UUID, CaseProjection> all = new java.util.HashMap<>();
        CaseProjection.<CaseProjection>find("caseId in ?1 order by caseId", caseIds).withLock(LockModeType.PESSIMISTIC_WRITE)
                .list().forEach(p -> all.put(p.caseId, p));
        return all;
    }

    /**
     * The customer's cases other than {@code caseId} received after {@code after} and at or before
     * {@code upTo}, as this service has consumed them (live evaluation's {@link CustomerComplaints}).
     */
    public static long othersReceived(String customerId, UUID caseId, Instant after, Instant upTo) {
        return count("customerId = ?1 and caseId <> ?2 and receivedAt > ?3 and receivedAt <= ?4", customerId, caseId, after,
                upTo);
    }

    /** When each of the customers' cases was received, by customer and case id (cases not received yet left out). */
    public static java.util.Map<String, java.util.Map<UUID, Instant>> receivedOf(java.util.Set<String> customerIds) {
        java.util.Map<String, java.util.Map<UUID, Instant>> all = new java.util.HashMap<>();
        if (customerIds.isEmpty()) {
            return all;
        }
        getEntityManager().createQuery("select customerId, caseId, receivedAt from CaseProjection "
                + "where customerId in ?1 and receivedAt is not null", Object[].class)
                .setParameter(1, customerIds).getResultList()
                .forEach(r -> all.computeIfAbsent((String) r[0], k -> new java.util.HashMap<>()).put((UUID) r[1], (Instant) r[2]));
        return all;
    }

    /** When each of the customer's cases was received, by case id (cases not received yet left out). */
    public static java.util.Map<UUID, Instant> receivedOf(String customerId) {
        java.util.Map<UUID, Instant> all = new java.util.HashMap<>();
        getEntityManager().createQuery(
                "select caseId, receivedAt from CaseProjection where customerId = ?1 and receivedAt is not null", Object[].class)
                .setParameter(1, customerId).getResultList().forEach(r -> all.put((UUID) r[0], (Instant) r[1]));
        return all;
    }

    public EscalationLevel levelValue() {
        return EscalationLevel.valueOf(level);
    }

    public List<CustomerTone> toneList() {
        if (tones == null || tones.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(tones.split(",")).map(CustomerTone::valueOf).toList();
    }

    public void addTone(CustomerTone tone) {
        List<CustomerTone> all = new ArrayList<>(toneList());
        all.add(tone);
        tones = String.join(",", all.stream().map(Enum::name).toList());
    }

    /** {@code RISING} or {@code FALLING} when the last contact's tone differs from the one before, {@code STEADY}, or {@code NONE} before two contacts. */
    public String toneTrend() {
        List<CustomerTone> all = toneList();
        if (all.size() < 2) {
            return "NONE";
        }
        int d = all.get(all.size() - 1).compareTo(all.get(all.size() - 2));
        return d > 0 ? "RISING" : d < 0 ? "FALLING" : "STEADY";
    }

    public String lastTone() {
        List<CustomerTone> all = toneList();
        return all.isEmpty() ? "" : all.get(all.size() - 1).name();
    }

    static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    void severity(Severity s) {
        if (s != null) {
            severity = s.name();
        }
    }

    void status(CaseStatus s) {
        if (s != null) {
            status = s.name();
        }
    }
}
