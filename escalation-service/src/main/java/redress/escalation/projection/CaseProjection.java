package redress.escalation.projection;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.events.CaseStatus;
import redress.events.CustomerTone;
import redress.events.EscalationLevel;
import redress.events.Severity;
import redress.support.db.DbText;

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
    /**
     * The ids of the rules whose condition held after the last event, sorted and comma-separated:
     * the edge a rule fires on (absent: did not hold).
     */
    public String satisfiedRules = "";

    public static CaseProjection create(UUID caseId) {
        CaseProjection p = new CaseProjection();
        p.caseId = caseId;
        return p;
    }

    /** Every column, in the order {@link #read} and {@link #saveAll} use. */
    private static final String COLUMNS = "case_id, reference, customer_id, summary, severity, category, product, "
            + "regulatory_profile, level, assignee, status, tones, boundary_warnings, conversations_ended, "
            + "solutions_rejected, reopenings, promises_missed, assistance_requests, manager_requests, deadline_warnings, "
            + "deadline_breaches, followups_dissatisfied, earlier_complaints, received_at, last_event_at, satisfied_rules";

    /**
     * The cases' projections, locked for this transaction in case-id order (both consumers may
     * touch one case), created when new. Read by JDBC, not into the session: the consumer writes
     * them back with {@link #saveAll} (one statement shape for any number of cases, no dirty
     * checking of a thousand entities).
     */
    public static Map<UUID, CaseProjection> lockedOrNew(Set<UUID> caseIds) {
        Map<UUID, CaseProjection> all = new HashMap<>();
        getEntityManager().unwrap(org.hibernate.Session.class).doWork(c -> {
            java.sql.Array ids = c.createArrayOf("uuid", caseIds.stream().sorted().toArray());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO case_projection (case_id, level, last_event_at) "
                    + "SELECT id, 'AGENT', now() FROM unnest(?::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING");
                    PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS.replace("case_id, ", "p.case_id, ")
                            + " FROM unnest(?::uuid[]) AS k(id) JOIN case_projection p ON p.case_id = k.id ORDER BY p.case_id "
                            + "FOR UPDATE OF p")) {
                insert.setArray(1, ids);
                insert.executeUpdate();
                select.setArray(1, ids);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        CaseProjection p = read(rs);
                        all.put(p.caseId, p);
                    }
                }
            }
        });
        return all;
    }

    private static CaseProjection read(ResultSet rs) throws SQLException {
        CaseProjection p = new CaseProjection();
        int i = 1;
        p.caseId = rs.getObject(i++, UUID.class);
        p.reference = rs.getString(i++);
        p.customerId = rs.getString(i++);
        p.summary = rs.getString(i++);
        p.severity = rs.getString(i++);
        p.category = rs.getString(i++);
        p.product = rs.getString(i++);
        p.regulatoryProfile = rs.getString(i++);
        p.level = rs.getString(i++);
        p.assignee = rs.getString(i++);
        p.status = rs.getString(i++);
        p.tones = rs.getString(i++);
        p.boundaryWarnings = rs.getInt(i++);
        p.conversationsEnded = rs.getInt(i++);
        p.solutionsRejected = rs.getInt(i++);
        p.reopenings = rs.getInt(i++);
        p.promisesMissed = rs.getInt(i++);
        p.assistanceRequests = rs.getInt(i++);
        p.managerRequests = rs.getInt(i++);
        p.deadlineWarnings = rs.getInt(i++);
        p.deadlineBreaches = rs.getInt(i++);
        p.followupsDissatisfied = rs.getInt(i++);
        p.earlierComplaints = rs.getInt(i++);
        p.receivedAt = instant(rs.getObject(i++, OffsetDateTime.class));
        p.lastEventAt = instant(rs.getObject(i++, OffsetDateTime.class));
        p.satisfiedRules = rs.getString(i);
        return p;
    }

    /**
     * Writes the projections back, every column, in one statement: each column's values as an
     * array, joined by case id ({@code unnest}), rather than a statement per case.
     */
    public static void saveAll(Collection<CaseProjection> projections) {
        if (projections.isEmpty()) {
            return;
        }
        List<CaseProjection> all = List.copyOf(projections);
        getEntityManager().unwrap(org.hibernate.Session.class).doWork(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE case_projection p SET (" + COLUMNS.substring("case_id, ".length())
                    + ") = (v.reference, v.customer_id, v.summary, v.severity, v.category, v.product, v.regulatory_profile, "
                    + "v.level, v.assignee, v.status, v.tones, v.boundary_warnings, v.conversations_ended, v.solutions_rejected, "
                    + "v.reopenings, v.promises_missed, v.assistance_requests, v.manager_requests, v.deadline_warnings, "
                    + "v.deadline_breaches, v.followups_dissatisfied, v.earlier_complaints, v.received_at::timestamptz, "
                    + "v.last_event_at::timestamptz, v.satisfied_rules) "
                    + "FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                    + "?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], "
                    + "?::int[], ?::int[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[]) AS v(" + COLUMNS + ") "
                    + "WHERE p.case_id = v.case_id")) {
                int i = 1;
                update.setArray(i++, c.createArrayOf("uuid", all.stream().map(p -> p.caseId).toArray()));
                for (java.util.function.Function<CaseProjection, String> text : List.<java.util.function.Function<CaseProjection, String>>of(
                        p -> p.reference, p -> p.customerId, p -> p.summary, p -> p.severity, p -> p.category, p -> p.product,
                        p -> p.regulatoryProfile, p -> p.level, p -> p.assignee, p -> p.status, p -> p.tones)) {
                    update.setArray(i++, c.createArrayOf("text", all.stream().map(text).map(DbText::of).toArray()));
                }
                for (java.util.function.ToIntFunction<CaseProjection> count : List.<java.util.function.ToIntFunction<CaseProjection>>of(
                        p -> p.boundaryWarnings, p -> p.conversationsEnded, p -> p.solutionsRejected, p -> p.reopenings,
                        p -> p.promisesMissed, p -> p.assistanceRequests, p -> p.managerRequests, p -> p.deadlineWarnings,
                        p -> p.deadlineBreaches, p -> p.followupsDissatisfied, p -> p.earlierComplaints)) {
                    update.setArray(i++, c.createArrayOf("int4", all.stream().map(p -> count.applyAsInt(p)).toArray()));
                }
                // Instants as ISO-8601 text (UTC), cast back to timestamptz in the statement.
                update.setArray(i++, c.createArrayOf("text", all.stream().map(p -> p.receivedAt == null ? null : p.receivedAt.toString()).toArray()));
                update.setArray(i++, c.createArrayOf("text", all.stream().map(p -> p.lastEventAt == null ? null : p.lastEventAt.toString()).toArray()));
                update.setArray(i, c.createArrayOf("text", all.stream().map(p -> p.satisfiedRules).toArray()));
                int written = update.executeUpdate();
                if (written != all.size()) {
                    throw new IllegalStateException("wrote " + written + " of " + all.size() + " case projections");
                }
            }
        });
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** When each of the customers' cases was received, by customer and case id (cases not received yet left out). */
    public static Map<String, Map<UUID, Instant>> receivedOf(Set<String> customerIds) {
        Map<String, Map<UUID, Instant>> all = new HashMap<>();
        if (customerIds.isEmpty()) {
            return all;
        }
        getEntityManager().unwrap(org.hibernate.Session.class).doWork(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT k.id, p.case_id, p.received_at FROM unnest(?::text[]) AS k(id) CROSS JOIN LATERAL "
                    + "(SELECT case_id, received_at FROM case_projection WHERE customer_id = k.id AND received_at IS NOT NULL OFFSET 0) p")) {
                select.setArray(1, c.createArrayOf("text", customerIds.stream().map(DbText::of).toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        all.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                                .put(rs.getObject(2, UUID.class), rs.getObject(3, OffsetDateTime.class).toInstant());
                    }
                }
            }
        });
        return all;
    }

    /** When each of the customer's cases was received, by case id (cases not received yet left out). */
    public static Map<UUID, Instant> receivedOf(String customerId) {
        Map<UUID, Instant> all = new HashMap<>();
        getEntityManager().createQuery(
                "select caseId, receivedAt from CaseProjection where customerId = ?1 and receivedAt is not null", Object[].class)
                .setParameter(1, DbText.of(customerId)).getResultList().forEach(r -> all.put((UUID) r[0], (Instant) r[1]));
        return all;
    }

    /** Whether each rule in {@link #satisfiedRules} held: true for each listed, absent for the rest. */
    public java.util.Map<String, Boolean> satisfied() {
        java.util.Map<String, Boolean> all = new java.util.HashMap<>();
        if (satisfiedRules != null && !satisfiedRules.isEmpty()) {
            for (String id : satisfiedRules.split(",")) {
                all.put(id, true);
            }
        }
        return all;
    }

    /**
     * Records whether each evaluated rule held after this event; rules not evaluated (disabled or
     * deleted since) keep what they had, so a rule switched back on does not fire on an old crossing.
     */
    public void satisfied(java.util.Map<String, Boolean> evaluated) {
        java.util.SortedSet<String> held = new java.util.TreeSet<>(satisfied().keySet());
        evaluated.forEach((id, holds) -> {
            if (holds) {
                held.add(id);
            } else {
                held.remove(id);
            }
        });
        satisfiedRules = String.join(",", held);
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
        return toneTrend(toneList());
    }

    /** As {@link #toneTrend()}, of tones already read. */
    public static String toneTrend(List<CustomerTone> all) {
        if (all.size() < 2) {
            return "NONE";
        }
        int d = all.get(all.size() - 1).compareTo(all.get(all.size() - 2));
        return d > 0 ? "RISING" : d < 0 ? "FALLING" : "STEADY";
    }

    public String lastTone() {
        return lastTone(toneList());
    }

    /** As {@link #lastTone()}, of tones already read. */
    public static String lastTone(List<CustomerTone> all) {
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
