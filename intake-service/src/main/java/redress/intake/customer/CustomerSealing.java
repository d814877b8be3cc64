package redress.intake.customer;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import redress.events.payload.Customer;

/**
 * Cases stored before per-customer encryption kept name and contact in clear columns. At start,
 * each such row is sealed with its customer's key and its clear columns emptied, a batch per
 * transaction ({@code SKIP LOCKED}: replicas starting together share the work). Their
 * {@code complaint.received} events, already published in clear, cannot be changed: see
 * docs/security.md.
 */
@ApplicationScoped
public class CustomerSealing {

    private final EntityManager em;
    private final CustomerKeys keys;

    public CustomerSealing(EntityManager em, CustomerKeys keys) {
        this.em = em;
        this.keys = keys;
    }

    void onStart(@Observes StartupEvent start) {
        int total = 0;
        int n;
        do {
            n = QuarkusTransaction.requiringNew().call(this::sealBatch);
            total += n;
        } while (n > 0);
        if (total > 0) {
            Log.infof("sealed the customer data of %d cases stored in clear before per-customer encryption", total);
        }
    }

    @SuppressWarnings("unchecked")
    public int sealBatch() {
        List<Object[]> rows = em.createNativeQuery("SELECT id, customer_id, customer_name, customer_email, customer_phone "
                + "FROM complaint WHERE customer_kid IS NULL ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED").getResultList();
        for (Object[] r : rows) {
            Customer sealed = keys.seal(new Customer((String) r[1], (String) r[2], (String) r[3], (String) r[4]));
            em.createNativeQuery("UPDATE complaint SET customer_kid = ?2, customer_iv = ?3, customer_ct = ?4, "
                    + "customer_name = NULL, customer_email = NULL, customer_phone = NULL WHERE id = ?1")
                    .setParameter(1, (UUID) r[0]).setParameter(2, sealed.kid()).setParameter(3, sealed.iv())
                    .setParameter(4, sealed.ct()).executeUpdate();
        }
        return rows.size();
    }
}
