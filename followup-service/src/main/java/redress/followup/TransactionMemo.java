package redress.followup;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * What a transaction has already read and may read again unchanged: a map per key and transaction,
 * gone when the transaction ends. A consumed batch is one transaction, so what each of its events
 * reads of a calendar or a profile is read once a batch; the next transaction reads afresh and sees
 * whatever was committed meanwhile. Whoever changes what is kept forgets it in the changing
 * transaction ({@link #forget}).
 */
@ApplicationScoped
public class TransactionMemo {

    private final TransactionSynchronizationRegistry registry;

    public TransactionMemo(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /** The current transaction's map under {@code key}; empty outside an active transaction. */
    @SuppressWarnings("unchecked")
    public <K, V> Optional<Map<K, V>> of(Object key) {
        if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
            return Optional.empty();
        }
        Map<K, V> m = (Map<K, V>) registry.getResource(key);
        if (m == null) {
            m = new HashMap<>();
            registry.putResource(key, m);
        }
        return Optional.of(m);
    }

    /** Forgets what the current transaction kept of {@code entry} under {@code key}. */
    public void forget(Object key, Object entry) {
        this.<Object, Object>of(key).ifPresent(m -> m.remove(entry));
    }
}
