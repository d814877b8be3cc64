package redress.intake.customer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.events.Actor;
import redress.events.CustomerSeal;
import redress.events.payload.Customer;
import redress.events.payload.CustomerErased;
import redress.intake.complaint.Complaint;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Customers' data keys: the only place in Redress where they exist (docs/security.md, "Personal
 * data and erasure"). A key is made at a customer's first complaint, kept wrapped with the
 * key-encryption key in {@code customer_key}, unwrapped in memory for one seal or one read and
 * never cached, and destroyed by an erasure. Sealing and erasing take the customer's row lock, so
 * a complaint sealed with a key commits before that key's erasure or is sealed with the next key.
 */
@ApplicationScoped
public class CustomerKeys {

    public static final String REQUEST = "REQUEST";
    public static final String RETENTION = "RETENTION";

    /** What an erasure did. */
    public record Erasure(String customerId, String keyId, Instant erasedAt, int cases) {
    }

    private final EntityManager em;
    private final EventEmitter events;
    private final Clock clock;
    private final SecretKey kek;

    public CustomerKeys(EntityManager em, EventEmitter events, Clock clock, CustomerKeysConfig config) {
        this.em = em;
        this.events = events;
        this.clock = clock;
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(config.kek().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("redress.customer-keys.kek is not base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException("redress.customer-keys.kek must be 32 bytes (base64 of 32 random bytes), not " + raw.length);
        }
        this.kek = CustomerSeal.key(raw);
    }

    /**
     * The customer sealed with their current data key, made now if they have none (first
     * complaint, or the first after an erasure: the next version). In the caller's transaction,
     * holding the customer's key row until it ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Customer seal(Customer clear) {
        String id = clear.id();
        Object[] row = lockedRow(id);
        if (row == null) {
            // First sight: the inserted row is this transaction's (and locked) unless another one got there first.
            SecretKey first = CustomerSeal.newKey();
            String kid = CustomerSeal.keyId(id, 1);
            int inserted = em.createNativeQuery("INSERT INTO customer_key (customer_id, version, wrapped_key, created_at) "
                    + "VALUES (?1, 1, ?2, ?3) ON CONFLICT DO NOTHING")
                    .setParameter(1, id).setParameter(2, CustomerSeal.wrap(first, kek, kid)).setParameter(3, Clocks.now(clock))
                    .executeUpdate();
            if (inserted == 1) {
                return CustomerSeal.seal(clear, kid, first);
            }
            row = lockedRow(id);
        }
        int version = ((Number) row[0]).intValue();
        byte[] wrapped = (byte[]) row[1];
        SecretKey key;
        if (wrapped == null) {
            version++;
            key = CustomerSeal.newKey();
            em.createNativeQuery("UPDATE customer_key SET version = ?2, wrapped_key = ?3, created_at = ?4, erased_at = NULL "
                    + "WHERE customer_id = ?1")
                    .setParameter(1, id).setParameter(2, version)
                    .setParameter(3, CustomerSeal.wrap(key, kek, CustomerSeal.keyId(id, version)))
                    .setParameter(4, Clocks.now(clock)).executeUpdate();
        } else {
            key = CustomerSeal.unwrap(wrapped, kek, CustomerSeal.keyId(id, version));
        }
        return CustomerSeal.seal(clear, CustomerSeal.keyId(id, version), key);
    }

    /** The case's customer as the API shows it: in clear while the key exists, erased after. */
    public CustomerView view(Complaint c) {
        return views(List.of(c)).get(c.id);
    }

    /** As {@link #view}, for a page of cases: one query for their customers' keys. */
    @SuppressWarnings("unchecked")
    public Map<UUID, CustomerView> views(Collection<Complaint> cases) {
        Map<UUID, CustomerView> out = new HashMap<>();
        if (cases.isEmpty()) {
            return out;
        }
        List<String> ids = cases.stream().map(c -> c.customerId).distinct().toList();
        Map<String, SecretKey> keys = new HashMap<>();
        List<Object[]> rows = em.createNativeQuery(
                "SELECT customer_id, version, wrapped_key FROM customer_key WHERE customer_id IN (?1) AND wrapped_key IS NOT NULL")
                .setParameter(1, ids).getResultList();
        for (Object[] r : rows) {
            String kid = CustomerSeal.keyId((String) r[0], ((Number) r[1]).intValue());
            keys.put(kid, CustomerSeal.unwrap((byte[]) r[2], kek, kid));
        }
        for (Complaint c : cases) {
            Customer sealed = c.sealedCustomer();
            SecretKey key = sealed.kid() == null ? null : keys.get(sealed.kid());
            if (key == null) {
                out.put(c.id, CustomerView.erased(c.customerId));
            } else {
                Customer clear = CustomerSeal.open(sealed, key);
                out.put(c.id, new CustomerView(c.customerId, clear.name(), clear.email(), clear.phone(), false));
            }
        }
        return out;
    }

    /**
     * Destroys the customer's current data key and emits {@code customer.erased} for every case
     * sealed with it. 404 for a customer never seen, 409 when there is no key left to destroy.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Erasure erase(String customerId, String trigger, String reason, Actor actor) {
        Object[] row = lockedRow(customerId);
        if (row == null) {
            throw ProblemException.notFound("Customer", customerId);
        }
        if (row[1] == null) {
            throw ProblemException.conflict("customer-already-erased", "Customer " + customerId
                    + " has no personal data left to erase: it was erased, and no complaint has come since");
        }
        String kid = CustomerSeal.keyId(customerId, ((Number) row[0]).intValue());
        Instant now = Clocks.now(clock);
        em.createNativeQuery("UPDATE customer_key SET wrapped_key = NULL, erased_at = ?2 WHERE customer_id = ?1")
                .setParameter(1, customerId).setParameter(2, now).executeUpdate();
        List<Object[]> cases = em.createNativeQuery(
                "SELECT id, reference FROM complaint WHERE customer_kid = ?1 ORDER BY received_at, id")
                .setParameter(1, kid).getResultList();
        UUID correlation = UUID.randomUUID();
        for (Object[] c : cases) {
            events.emit(actor, customerId, new CustomerErased((UUID) c[0], (String) c[1], customerId, kid, trigger, reason, now),
                    null, correlation);
        }
        Log.infof("customer %s erased (%s, key %s): %d cases", customerId, trigger, kid, cases.size());
        return new Erasure(customerId, kid, now, cases.size());
    }

    /** Customers whose current key's cases are all CLOSED since before {@code closedBefore}: the retention rule. */
    @SuppressWarnings("unchecked")
    public List<String> closedBefore(Instant closedBefore, int limit) {
        return new ArrayList<>(em.createNativeQuery("SELECT k.customer_id FROM customer_key k WHERE k.wrapped_key IS NOT NULL "
                + "AND EXISTS (SELECT 1 FROM complaint c WHERE c.customer_kid = k.customer_id || ':' || k.version) "
                + "AND NOT EXISTS (SELECT 1 FROM complaint c WHERE c.customer_kid = k.customer_id || ':' || k.version "
                + "  AND (c.status <> 'CLOSED' OR c.closed_at IS NULL OR c.closed_at > ?1)) "
                + "ORDER BY k.customer_id LIMIT " + limit)
                .setParameter(1, closedBefore).getResultList());
    }

    private Object[] lockedRow(String customerId) {
        List<?> rows = em.createNativeQuery("SELECT version, wrapped_key FROM customer_key WHERE customer_id = ?1 FOR UPDATE")
                .setParameter(1, customerId).getResultList();
        return rows.isEmpty() ? null : (Object[]) rows.get(0);
    }
}
