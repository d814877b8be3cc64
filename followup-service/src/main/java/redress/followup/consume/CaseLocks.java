package redress.followup.consume;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
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
 * case as its event comes would allow. {@link #locked} then reads a case's row already held without
 * locking (or creating) it again.
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
     * The case's state, locked for this transaction: read when {@link #lockAll} took it, else locked
     * (and created when new) now.
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

    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(Collection<UUID> caseIds, Instant now) {
        if (caseIds.isEmpty()) {
            return;
        }
        // Agroal hands out the connection enlisted in the current transaction (the one Hibernate uses).
        try (Connection c = dataSource.getConnection();
                PreparedStatement create =
                        c.prepareStatement("INSERT INTO case_state (case_id, updated_at) SELECT id, ? "
                                + "FROM unnest(?::uuid[]) AS t(id) ORDER BY id ON CONFLICT DO NOTHING");
                PreparedStatement lock = c.prepareStatement(
                        "SELECT case_id FROM case_state WHERE case_id = ANY(?::uuid[]) ORDER BY case_id FOR UPDATE")) {
            Array ids = c.createArrayOf("uuid", caseIds.toArray());
            create.setObject(1, now.atOffset(ZoneOffset.UTC));
            create.setArray(2, ids);
            create.executeUpdate();
            lock.setArray(1, ids);
            lock.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock " + caseIds.size() + " cases", e);
        }
        memo.<UUID, Boolean>of(MEMO).ifPresent(m -> caseIds.forEach(id -> m.put(id, Boolean.TRUE)));
    }
}
