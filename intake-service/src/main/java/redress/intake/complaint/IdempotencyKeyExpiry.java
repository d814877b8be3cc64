package redress.intake.complaint;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Idempotency keys are a retry window, not a registry: a key older than
 * {@code redress.intake.idempotency-key-retention} is forgotten (its case stays), as payment APIs
 * do, so the table does not grow for ever.
 */
@ApplicationScoped
public class IdempotencyKeyExpiry {

    private final EntityManager em;
    private final IntakeConfig config;

    public IdempotencyKeyExpiry(EntityManager em, IntakeConfig config) {
        this.em = em;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void forgetOldKeys() {
        int n = em.createNativeQuery(
                        "DELETE FROM idempotency_key WHERE created_at < clock_timestamp() - make_interval(secs => ?1)")
                .setParameter(1, (double) config.idempotencyKeyRetention().toSeconds())
                .executeUpdate();
        if (n > 0) {
            Log.infof("forgot %d idempotency keys older than %s", n, config.idempotencyKeyRetention());
        }
    }
}
