package redress.escalation.projection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.support.db.DbText;

/**
 * The only reader and writer of {@code case_projection}: JDBC on the service's DataSource, in the
 * caller's transaction. The consumer reads a batch's projections in one statement and writes them
 * back in one ({@code unnest} of one array per column), whatever the number of cases, rather than
 * a statement per case. Every column but the key is declared once, in {@link #COLUMNS}; the
 * statements and the binding are derived from that list, so a new column is a migration, a field
 * of {@link CaseProjection} and a line there.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CaseProjectionStore {

    /**
     * One column: its name, the element type of the array its values are sent in, the type that
     * array is cast to in the statement, and how a projection's field goes into it and comes back.
     */
    private record Column(
            String name, String sentAs, String sqlType, Function<CaseProjection, Object> value, Reader read) {}

    /** Sets a projection's field from a column of the current row. */
    @FunctionalInterface
    private interface Reader {
        void read(ResultSet rs, int index, CaseProjection p) throws SQLException;
    }

    /** Every column but {@code case_id}, in the order the statements list them. */
    private static final List<Column> COLUMNS = List.of(
            text("reference", p -> p.reference, (p, v) -> p.reference = v),
            text("customer_id", p -> p.customerId, (p, v) -> p.customerId = v),
            text("summary", p -> p.summary, (p, v) -> p.summary = v),
            text("severity", p -> p.severity, (p, v) -> p.severity = v),
            text("category", p -> p.category, (p, v) -> p.category = v),
            text("product", p -> p.product, (p, v) -> p.product = v),
            text("regulatory_profile", p -> p.regulatoryProfile, (p, v) -> p.regulatoryProfile = v),
            text("level", p -> p.level, (p, v) -> p.level = v),
            text("assignee", p -> p.assignee, (p, v) -> p.assignee = v),
            text("status", p -> p.status, (p, v) -> p.status = v),
            text("tones", p -> p.tones, (p, v) -> p.tones = v),
            count("boundary_warnings", p -> p.boundaryWarnings, (p, v) -> p.boundaryWarnings = v),
            count("conversations_ended", p -> p.conversationsEnded, (p, v) -> p.conversationsEnded = v),
            count("solutions_rejected", p -> p.solutionsRejected, (p, v) -> p.solutionsRejected = v),
            count("reopenings", p -> p.reopenings, (p, v) -> p.reopenings = v),
            count("promises_missed", p -> p.promisesMissed, (p, v) -> p.promisesMissed = v),
            count("assistance_requests", p -> p.assistanceRequests, (p, v) -> p.assistanceRequests = v),
            count("manager_requests", p -> p.managerRequests, (p, v) -> p.managerRequests = v),
            count("deadline_warnings", p -> p.deadlineWarnings, (p, v) -> p.deadlineWarnings = v),
            count("deadline_breaches", p -> p.deadlineBreaches, (p, v) -> p.deadlineBreaches = v),
            count("followups_dissatisfied", p -> p.followupsDissatisfied, (p, v) -> p.followupsDissatisfied = v),
            count("earlier_complaints", p -> p.earlierComplaints, (p, v) -> p.earlierComplaints = v),
            count("coaching_findings", p -> p.coachingFindings, (p, v) -> p.coachingFindings = v),
            flag("vulnerable", p -> p.vulnerable, (p, v) -> p.vulnerable = v),
            time("received_at", p -> p.receivedAt, (p, v) -> p.receivedAt = v),
            time("last_event_at", p -> p.lastEventAt, (p, v) -> p.lastEventAt = v),
            text("satisfied_rules", p -> p.satisfiedRules, (p, v) -> p.satisfiedRules = v));

    private static final String NAMES = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));

    /**
     * Serialises the transactions that read and write one case's row (both consumers may touch a
     * case): a transaction-scoped advisory lock per case, taken in the order of the locks' keys, so
     * that two batches sharing cases wait for each other instead of deadlocking. A lock rather than
     * the row's own: a new case has no row to lock until the batch writes it, once, with every
     * column as folded (not a row of defaults first and the folded row after it).
     */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT "
            + "hashtextextended(id::text, 11) AS k FROM unnest(?::uuid[]) AS id ORDER BY k OFFSET 0) s";

    private static final String SELECT_MANY = "SELECT p.case_id, " + NAMES
            + " FROM unnest(?::uuid[]) AS k(id) JOIN case_projection p ON p.case_id = k.id";
    private static final String SELECT_ONE = "SELECT case_id, " + NAMES + " FROM case_projection WHERE case_id = ?";
    /**
     * Every column of every case given, from one array per column joined by case id: a new case's
     * row inserted, a known one's replaced.
     */
    private static final String UPSERT_ALL = "INSERT INTO case_projection (case_id, " + NAMES + ") SELECT v.case_id, "
            + COLUMNS.stream().map(c -> "v." + c.name() + "::" + c.sqlType()).collect(Collectors.joining(", "))
            + " FROM unnest(?::uuid[], "
            + COLUMNS.stream().map(c -> "?::" + c.sentAs() + "[]").collect(Collectors.joining(", "))
            + ") AS v(case_id, " + NAMES + ") ON CONFLICT (case_id) DO UPDATE SET (" + NAMES + ") = ("
            + COLUMNS.stream().map(c -> "EXCLUDED." + c.name()).collect(Collectors.joining(", ")) + ")";

    private final DataSource dataSource;

    public CaseProjectionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The cases' projections, locked for this transaction ({@link #LOCK}); a case not known here
     * yet as {@link CaseProjection#create} makes it, stored by {@link #saveAll}.
     */
    public Map<UUID, CaseProjection> lockedOrNew(Set<UUID> caseIds) {
        Map<UUID, CaseProjection> all = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement lock = c.prepareStatement(LOCK);
                PreparedStatement select = c.prepareStatement(SELECT_MANY)) {
            Array ids = c.createArrayOf("uuid", caseIds.toArray());
            lock.setArray(1, ids);
            lock.executeQuery().close();
            select.setArray(1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    CaseProjection p = read(rs);
                    all.put(p.caseId, p);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read case projections", e);
        }
        caseIds.forEach(id -> all.computeIfAbsent(id, CaseProjection::create));
        return all;
    }

    /** The case's projection as last written, unlocked, or null when no event of the case was applied. */
    public CaseProjection find(UUID caseId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(SELECT_ONE)) {
            select.setObject(1, caseId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the projection of case " + caseId, e);
        }
    }

    /** Writes the projections (of cases this transaction has locked), every column, in one statement. */
    public void saveAll(Collection<CaseProjection> projections) {
        if (projections.isEmpty()) {
            return;
        }
        List<CaseProjection> all = List.copyOf(projections);
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(UPSERT_ALL)) {
            update.setArray(
                    1, c.createArrayOf("uuid", all.stream().map(p -> p.caseId).toArray()));
            for (int i = 0; i < COLUMNS.size(); i++) {
                Column column = COLUMNS.get(i);
                update.setArray(
                        i + 2,
                        c.createArrayOf(
                                column.sentAs(),
                                all.stream().map(column.value()).toArray()));
            }
            int written = update.executeUpdate();
            if (written != all.size()) {
                throw new IllegalStateException("wrote " + written + " of " + all.size() + " case projections");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write case projections", e);
        }
    }

    /**
     * When each of the customers' cases was received, by customer and case id (cases not received
     * yet left out), in one query: each customer looked up on its own through the (customer,
     * received) index.
     */
    public Map<String, Map<UUID, Instant>> receivedOf(Set<String> customerIds) {
        Map<String, Map<UUID, Instant>> all = new HashMap<>();
        if (customerIds.isEmpty()) {
            return all;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT k.id, p.case_id, p.received_at FROM unnest(?::text[]) AS k(id) "
                                + "CROSS JOIN LATERAL (SELECT case_id, received_at FROM case_projection "
                                + "WHERE customer_id = k.id AND received_at IS NOT NULL OFFSET 0) p")) {
            select.setArray(
                    1,
                    c.createArrayOf("text", customerIds.stream().map(DbText::of).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(
                                    rs.getObject(2, UUID.class),
                                    rs.getObject(3, OffsetDateTime.class).toInstant());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read when the customers' cases were received", e);
        }
        return all;
    }

    /** When each of the customer's cases was received, by case id (cases not received yet left out). */
    public Map<UUID, Instant> receivedOf(String customerId) {
        return receivedOf(Set.of(customerId)).getOrDefault(DbText.of(customerId), new HashMap<>());
    }

    private static CaseProjection read(ResultSet rs) throws SQLException {
        CaseProjection p = CaseProjection.create(rs.getObject(1, UUID.class));
        for (int i = 0; i < COLUMNS.size(); i++) {
            COLUMNS.get(i).read().read(rs, i + 2, p);
        }
        return p;
    }

    /** A {@code text} column; strings copied from events, so through {@link DbText#of}. */
    private static Column text(
            String name, Function<CaseProjection, String> get, BiConsumer<CaseProjection, String> set) {
        return new Column(
                name, "text", "text", p -> DbText.of(get.apply(p)), (rs, i, p) -> set.accept(p, rs.getString(i)));
    }

    /** An {@code integer} column. */
    private static Column count(String name, ToIntFunction<CaseProjection> get, ObjIntConsumer<CaseProjection> set) {
        return new Column(name, "int4", "int4", get::applyAsInt, (rs, i, p) -> set.accept(p, rs.getInt(i)));
    }

    /** A {@code boolean} column. */
    private static Column flag(
            String name, Function<CaseProjection, Boolean> get, BiConsumer<CaseProjection, Boolean> set) {
        return new Column(name, "bool", "bool", get::apply, (rs, i, p) -> set.accept(p, rs.getBoolean(i)));
    }

    /** A {@code timestamptz} column, sent as ISO-8601 text (UTC) and cast back in the statement. */
    private static Column time(
            String name, Function<CaseProjection, Instant> get, BiConsumer<CaseProjection, Instant> set) {
        return new Column(
                name,
                "text",
                "timestamptz",
                p -> {
                    Instant t = get.apply(p);
                    return t == null ? null : t.toString();
                },
                (rs, i, p) -> {
                    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                    set.accept(p, t == null ? null : t.toInstant());
                });
    }
}
