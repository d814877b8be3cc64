package redress.followup.consume;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.followup.CaseState;
import redress.followup.TransactionMemo;

/**
 * Locks the state rows of a batch's cases (created when new), all at once and in one order (by
 * case id), in the caller's transaction. Two batches that share cases (the two channels, or two
 * replicas after a rebalance) then wait for each other instead of deadlocking, which locking each
 * case as its event comes would allow. {@link #locked} then takes a case's row already held from the
 * session (or reads it again, once the session was cleared) without locking or creating it again.
 */
@ApplicationScoped
public class CaseLocks {

    /** The key of the case ids this transaction has locked, in {@link TransactionMemo}. */
    private static final Object MEMO = new Object();

    private final DataSource dataSource;
    private final TransactionMemo memo;

    public CaseLocks(DataSource dataSource, TransactionMemo memo) {
        this.dataSource = dataSource;
        this.memo = memo;
    }

    /**
     * The case's state, locked for this transaction: as {@link #lockAll} took it, else locked (and
     * created when new) now.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CaseState locked(UUID caseId, Instant now) {
        boolean held =
                memo.<UUID, Boolean>of(MEMO).map(m -> m.containsKey(caseId)).orElse(false);
        if (held) {
            CaseState c = CaseState.findById(caseId);
            if (c != null) {
                return c;
            }
        }
        return CaseState.lockedOrNew(caseId, now);
    }

    /**
     * Locks the cases' rows, creating those not yet known here, and loads them into the session (the
     * first event of each reads its case from there). Returns the ids of the rows it created: cases
     * of which nothing was stored before this transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> lockAll(Collection<UUID> caseIds, Instant now) {
        if (caseIds.isEmpty()) {
            return Set.of();
        }
        UUID[] ids = caseIds.toArray(UUID[]::new);
        Set<UUID> created = new HashSet<>();
        // Agroal hands out the connection enlisted in the current transaction (the one Hibernate uses).
        try (Connection c = dataSource.getConnection();
                PreparedStatement create = c.prepareStatement(
                        "INSERT INTO case_state (case_id, updated_at) SELECT id, ? "
                                + "FROM unnest(?::uuid[]) AS t(id) ORDER BY id ON CONFLICT DO NOTHING RETURNING case_id");
                PreparedStatement lock = c.prepareStatement(
                        "SELECT case_id FROM case_state WHERE case_id = ANY(?::uuid[]) ORDER BY case_id FOR UPDATE")) {
            Array array = c.createArrayOf("uuid", ids);
            create.setObject(1, now.atOffset(ZoneOffset.UTC));
            create.setArray(2, array);
            try (ResultSet rs = create.executeQuery()) {
                while (rs.next()) {
                    created.add(rs.getObject(1, UUID.class));
                }
            }
            lock.setArray(1, array);
            lock.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock " + caseIds.size() + " cases", e);
        }
        CaseState.byIds(caseIds);
        memo.<UUID, Boolean>of(MEMO).ifPresent(m -> caseIds.forEach(id -> m.put(id, Boolean.TRUE)));
        return created;
    }
}
