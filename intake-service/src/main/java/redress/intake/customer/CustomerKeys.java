package redress.intake.customer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.hibernate.query.NativeQuery;

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
 * Every path takes the key row first and the customer's case rows after it, so an erasure and a
 * sealing of rows stored in clear never deadlock.
 *
 * <p>Cases stored in clear (by an intake older than per-customer encryption, also during a rolling
 * update) belong to their customer like sealed ones: an erasure empties their clear columns and
 * stamps them with the destroyed key's id, so they read as erased; sealing them
 * ({@link #sealStoredInClear}) gives a fresh key to nobody who is erased.
 */
@ApplicationScoped
public class CustomerKeys {

    public static final String REQUEST = "REQUEST";
    public static final String RETENTION = "RETENTION";

    /** What an erasure did. */
    public record Erasure(String customerId, String keyId, Instant erasedAt, int cases) {}

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
            throw new IllegalStateException(
                    "redress.customer-keys.kek must be 32 bytes (base64 of 32 random bytes), not " + raw.length);
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
            SecretKey first = firstKey(id);
            if (first != null) {
                return CustomerSeal.seal(clear, CustomerSeal.keyId(id, 1), first);
            }
            row = lockedRow(id);
        }
        return sealLocked(clear, row).sealed();
    }

    /**
     * How a new complaint's customer was sealed: the sealed customer, and the key it was sealed
     * with ({@code fresh} when made by this transaction, so that nothing else is sealed with it yet).
     */
    public static final class Sealing {
        private final Customer sealed;
        private final LiveKey key;
        private final boolean fresh;

        Sealing(Customer sealed, LiveKey key, boolean fresh) {
            this.sealed = sealed;
            this.key = key;
            this.fresh = fresh;
        }

        public Customer sealed() {
            return sealed;
        }

        public boolean fresh() {
            return fresh;
        }

        LiveKey key() {
            return key;
        }
    }

    /**
     * The customer's key row, locked, or a first one inserted (and so held) by this transaction,
     * in one statement. A first key is offered every time; it is kept only when the customer has no
     * row. {@code created} is 1 when it was; otherwise {@code version} and {@code wrapped_key} are
     * the locked row's, or null when a concurrent first complaint inserted the row after this
     * statement began (its snapshot cannot see it: locked again by {@link #lockedRow}).
     */
    private static final String LOCK_OR_CREATE = "WITH ins AS (INSERT INTO customer_key "
            + "(customer_id, version, wrapped_key, created_at) VALUES (?1, 1, ?2, ?3) ON CONFLICT DO NOTHING RETURNING 1) "
            + "SELECT (SELECT count(*) FROM ins) AS created, k.version, k.wrapped_key FROM (VALUES (1)) one "
            + "LEFT JOIN LATERAL (SELECT version, wrapped_key FROM customer_key WHERE customer_id = ?1 "
            + "AND NOT EXISTS (SELECT 1 FROM ins) FOR UPDATE) k ON true";

    /**
     * As {@link #seal}, for a complaint being received: one round trip for a new customer and for
     * a returning one alike (the lock of an existing key row, or the insert of a first one), and the
     * key is handed back so the rest of the submission need not read it again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Sealing sealReceived(Customer clear) {
        String id = clear.id();
        SecretKey first = CustomerSeal.newKey();
        String firstKid = CustomerSeal.keyId(id, 1);
        Object[] row = (Object[]) keyRows(em.createNativeQuery(LOCK_OR_CREATE)
                        .setParameter(1, id)
                        .setParameter(2, CustomerSeal.wrap(first, kek, firstKid))
                        .setParameter(3, Clocks.now(clock))
                        .unwrap(NativeQuery.class)
                        .addScalar("created", Long.class))
                .getSingleResult();
        if (((Number) row[0]).intValue() == 1) {
            return new Sealing(CustomerSeal.seal(clear, firstKid, first), new LiveKey(firstKid, first), true);
        }
        Object[] locked = row[1] == null ? lockedRow(id) : new Object[] {row[1], row[2]};
        if (locked == null) {
            throw new IllegalStateException("the key row of customer " + id + " was neither inserted nor found");
        }
        return sealLocked(clear, locked);
    }

    /** Seals with the key of the locked row, or with the next version's, made now, when that key was erased. */
    private Sealing sealLocked(Customer clear, Object[] row) {
        String id = clear.id();
        int version = ((Number) row[0]).intValue();
        byte[] wrapped = (byte[]) row[1];
        SecretKey key;
        boolean fresh = wrapped == null;
        if (fresh) {
            version++;
            key = CustomerSeal.newKey();
            em.createNativeQuery(
                            "UPDATE customer_key SET version = ?2, wrapped_key = ?3, created_at = ?4, erased_at = NULL "
                                    + "WHERE customer_id = ?1")
                    .setParameter(1, id)
                    .setParameter(2, version)
                    .setParameter(3, CustomerSeal.wrap(key, kek, CustomerSeal.keyId(id, version)))
                    .setParameter(4, Clocks.now(clock))
                    .executeUpdate();
        } else {
            key = CustomerSeal.unwrap(wrapped, kek, CustomerSeal.keyId(id, version));
        }
        String kid = CustomerSeal.keyId(id, version);
        return new Sealing(CustomerSeal.seal(clear, kid, key), new LiveKey(kid, key), fresh);
    }

    /** A customer's current data key, unwrapped for one seal or one read, and its id. */
    record LiveKey(String kid, SecretKey key) {}

    /**
     * The customer's current data key, or empty when they have none (erased, or never seen). With
     * {@code lock}, their key row is held until the transaction ends, as sealing and erasing hold
     * it, so what is sealed with the key commits before its erasure or finds it gone. For the
     * other data of a customer sealed with their key ({@link Vulnerabilities}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<LiveKey> liveKey(String customerId, boolean lock) {
        List<?> rows = keyRows(
                        em.createNativeQuery("SELECT version, wrapped_key FROM customer_key WHERE customer_id = ?1"
                                        + (lock ? " FOR UPDATE" : ""))
                                .setParameter(1, customerId))
                .getResultList();
        if (rows.isEmpty() || ((Object[]) rows.get(0))[1] == null) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        String kid = keyId(customerId, row);
        return Optional.of(new LiveKey(kid, CustomerSeal.unwrap((byte[]) row[1], kek, kid)));
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
        List<Object[]> rows = keyRows(em.createNativeQuery(
                                "SELECT customer_id, version, wrapped_key FROM customer_key WHERE customer_id IN (?1) AND wrapped_key IS NOT NULL")
                        .setParameter(1, ids)
                        .unwrap(NativeQuery.class)
                        .addScalar("customer_id", String.class))
                .getResultList();
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
     * Destroys the customer's current data key, empties the clear columns of their cases stored in
     * clear, and emits {@code customer.erased} for every case sealed with that key or stored in
     * clear. 404 for a customer never seen; 409 when there is nothing left to erase (no key, and
     * no case in clear).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Erasure erase(String customerId, String trigger, String reason, Actor actor) {
        Object[] row = lockedRow(customerId);
        if (row == null) {
            if (!hasCasesInClear(customerId)) {
                throw ProblemException.notFound("Customer", customerId);
            }
            // Known only from cases stored in clear: a key row born erased records the erasure and
            // makes the customer's next complaint version 2, as after any erasure.
            Instant now = Clocks.now(clock);
            em.createNativeQuery("INSERT INTO customer_key (customer_id, version, wrapped_key, created_at, erased_at) "
                            + "VALUES (?1, 1, NULL, ?2, ?2) ON CONFLICT DO NOTHING")
                    .setParameter(1, customerId)
                    .setParameter(2, now)
                    .executeUpdate();
            row = lockedRow(customerId);
        }
        if (row[1] == null && !hasCasesInClear(customerId)) {
            throw ProblemException.conflict(
                    "customer-already-erased",
                    "Customer " + customerId
                            + " has no personal data left to erase: it was erased, and no complaint has come since");
        }
        return eraseLocked(customerId, keyId(customerId, row), row[1] != null, trigger, reason, actor);
    }

    /**
     * The retention rule's erasure: decided and done in one step. Under the customer's key row
     * lock, with their cases locked against a reopening, the rule is checked again: every case
     * under the current key, and every case stored in clear, is CLOSED since before
     * {@code closedBefore}. A complaint that committed after the customer was listed (sealed with
     * this key, so its row lock was taken first) or a case reopened since makes it fail, and
     * nothing is erased. Empty then, or when the customer was erased meanwhile.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Optional<Erasure> eraseRetained(String customerId, Instant closedBefore, String reason, Actor actor) {
        Object[] row = lockedRow(customerId);
        if (row == null || row[1] == null) {
            return Optional.empty();
        }
        String kid = keyId(customerId, row);
        List<Boolean> closed = em.createNativeQuery(
                        "SELECT status = 'CLOSED' AND closed_at IS NOT NULL AND closed_at <= ?3 "
                                + "FROM complaint WHERE customer_id = ?1 AND (customer_kid = ?2 OR customer_kid IS NULL) FOR SHARE")
                .setParameter(1, customerId)
                .setParameter(2, kid)
                .setParameter(3, closedBefore)
                .getResultList();
        if (closed.isEmpty() || closed.contains(Boolean.FALSE)) {
            Log.infof(
                    "retention: customer %s kept: not every case of theirs is closed since before %s "
                            + "(a complaint came, or a case was reopened, after they were found due)",
                    customerId, closedBefore);
            return Optional.empty();
        }
        return Optional.of(eraseLocked(customerId, kid, true, RETENTION, reason, actor));
    }

    /**
     * Customers the retention rule covers, in customer id order after {@code after}: their current
     * key's cases, and their cases stored in clear, all CLOSED since before {@code closedBefore}.
     * Candidates only: {@link #eraseRetained} decides again under the locks.
     */
    @SuppressWarnings("unchecked")
    public List<String> closedBefore(Instant closedBefore, String after, int limit) {
        return new ArrayList<>(
                em.createNativeQuery("SELECT k.customer_id FROM customer_key k WHERE k.wrapped_key IS NOT NULL "
                                + "AND k.customer_id > ?2 "
                                + "AND EXISTS (SELECT 1 FROM complaint c WHERE c.customer_kid = k.customer_id || ':' || k.version) "
                                + "AND NOT EXISTS (SELECT 1 FROM complaint c WHERE c.customer_id = k.customer_id "
                                + "  AND (c.customer_kid = k.customer_id || ':' || k.version OR c.customer_kid IS NULL) "
                                + "  AND (c.status <> 'CLOSED' OR c.closed_at IS NULL OR c.closed_at > ?1)) "
                                + "ORDER BY k.customer_id LIMIT " + limit)
                        .setParameter(1, closedBefore)
                        .setParameter(2, after)
                        .getResultList());
    }

    /**
     * Seals the customer's cases stored in clear with their current key (made now if they have
     * none), or, when the customer is erased, erases those cases under the destroyed key's id
     * instead: an erased customer is never given a fresh key here, since the clear copy cannot be
     * told from the data that was erased. Cases another transaction holds are left to it (or to
     * the next run). How many cases were sealed or erased.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public int sealStoredInClear(String customerId) {
        Object[] row = lockedRow(customerId);
        if (row == null) {
            if (!hasCasesInClear(customerId)) {
                return 0;
            }
            // The key row before the case rows, as everywhere.
            firstKey(customerId);
            row = lockedRow(customerId);
        }
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT id, customer_name, customer_email, customer_phone FROM complaint "
                                + "WHERE customer_id = ?1 AND customer_kid IS NULL ORDER BY id FOR UPDATE SKIP LOCKED")
                .setParameter(1, customerId)
                .getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        if (row[1] == null) {
            String kid = keyId(customerId, row);
            List<UUID> ids = rows.stream().map(r -> (UUID) r[0]).toList();
            emptyClearColumns(ids, kid);
            Log.infof(
                    "customer %s is erased (key %s): %d cases stored in clear since were erased, not sealed: %s",
                    customerId, kid, ids.size(), ids);
            return ids.size();
        }
        for (Object[] r : rows) {
            Customer sealed = seal(new Customer(customerId, (String) r[1], (String) r[2], (String) r[3]));
            em.createNativeQuery("UPDATE complaint SET customer_kid = ?2, customer_iv = ?3, customer_ct = ?4, "
                            + "customer_name = NULL, customer_email = NULL, customer_phone = NULL WHERE id = ?1")
                    .setParameter(1, (UUID) r[0])
                    .setParameter(2, sealed.kid())
                    .setParameter(3, sealed.iv())
                    .setParameter(4, sealed.ct())
                    .executeUpdate();
        }
        return rows.size();
    }

    /**
     * Customers with cases stored in clear, at most {@code limit}, in customer id order after
     * {@code after}: the work of {@link #sealStoredInClear}.
     */
    @SuppressWarnings("unchecked")
    public List<String> storedInClear(String after, int limit) {
        return new ArrayList<>(em.createNativeQuery("SELECT DISTINCT customer_id FROM complaint "
                        + "WHERE customer_kid IS NULL AND customer_id > ?1 ORDER BY customer_id LIMIT " + limit)
                .setParameter(1, after)
                .getResultList());
    }

    /**
     * The erasure, the key row locked: the key destroyed (when {@code live}), the cases in clear
     * emptied and stamped with its id, one {@code customer.erased} per case under it.
     */
    @SuppressWarnings("unchecked")
    private Erasure eraseLocked(
            String customerId, String kid, boolean live, String trigger, String reason, Actor actor) {
        Instant now = Clocks.now(clock);
        if (live) {
            em.createNativeQuery("UPDATE customer_key SET wrapped_key = NULL, erased_at = ?2 WHERE customer_id = ?1")
                    .setParameter(1, customerId)
                    .setParameter(2, now)
                    .executeUpdate();
        }
        List<UUID> inClear = em.createNativeQuery(
                        "SELECT id FROM complaint WHERE customer_id = ?1 AND customer_kid IS NULL " + "FOR UPDATE")
                .setParameter(1, customerId)
                .getResultList();
        emptyClearColumns(inClear, kid);
        // Without a live key only the cases just emptied are new to this erasure; the others had theirs.
        List<Object[]> cases = live
                ? em.createNativeQuery(
                                "SELECT id, reference FROM complaint WHERE customer_kid = ?1 ORDER BY received_at, id")
                        .setParameter(1, kid)
                        .getResultList()
                : inClear.isEmpty()
                        ? List.of()
                        : em.createNativeQuery(
                                        "SELECT id, reference FROM complaint WHERE id IN (?1) ORDER BY received_at, id")
                                .setParameter(1, inClear)
                                .getResultList();
        UUID correlation = UUID.randomUUID();
        for (Object[] c : cases) {
            events.emit(
                    actor,
                    customerId,
                    new CustomerErased((UUID) c[0], (String) c[1], customerId, kid, trigger, reason, now),
                    null,
                    correlation);
        }
        Log.infof(
                "customer %s erased (%s, key %s): %d cases, %d of them stored in clear",
                customerId, trigger, kid, cases.size(), inClear.size());
        return new Erasure(customerId, kid, now, cases.size());
    }

    /** Empties the clear columns of these cases and stamps them with a destroyed key's id: they read as erased. */
    private void emptyClearColumns(List<UUID> ids, String kid) {
        if (ids.isEmpty()) {
            return;
        }
        em.createNativeQuery("UPDATE complaint SET customer_kid = ?2, customer_iv = NULL, customer_ct = NULL, "
                        + "customer_name = NULL, customer_email = NULL, customer_phone = NULL WHERE id IN (?1)")
                .setParameter(1, ids)
                .setParameter(2, kid)
                .executeUpdate();
    }

    /**
     * The customer's first key, inserted and so locked by this transaction; null when another
     * transaction inserted theirs first (then lock and read that row).
     */
    private SecretKey firstKey(String customerId) {
        SecretKey first = CustomerSeal.newKey();
        int inserted = em.createNativeQuery("INSERT INTO customer_key (customer_id, version, wrapped_key, created_at) "
                        + "VALUES (?1, 1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, customerId)
                .setParameter(2, CustomerSeal.wrap(first, kek, CustomerSeal.keyId(customerId, 1)))
                .setParameter(3, Clocks.now(clock))
                .executeUpdate();
        return inserted == 1 ? first : null;
    }

    private boolean hasCasesInClear(String customerId) {
        return !em.createNativeQuery("SELECT 1 FROM complaint WHERE customer_id = ?1 AND customer_kid IS NULL LIMIT 1")
                .setParameter(1, customerId)
                .getResultList()
                .isEmpty();
    }

    private static String keyId(String customerId, Object[] row) {
        return CustomerSeal.keyId(customerId, ((Number) row[0]).intValue());
    }

    private Object[] lockedRow(String customerId) {
        List<?> rows = keyRows(em.createNativeQuery(
                                "SELECT version, wrapped_key FROM customer_key WHERE customer_id = ?1 FOR UPDATE")
                        .setParameter(1, customerId))
                .getResultList();
        return rows.isEmpty() ? null : (Object[]) rows.get(0);
    }

    /**
     * A query of key rows, their {@code version} and {@code wrapped_key} columns (after any added
     * before) with their types given. Left for Hibernate to find from the result, the {@code bytea}
     * made it throw and catch an exception on every run, trying to register the type.
     */
    @SuppressWarnings("rawtypes")
    private static NativeQuery keyRows(Query query) {
        return query.unwrap(NativeQuery.class)
                .addScalar("version", Integer.class)
                .addScalar("wrapped_key", byte[].class);
    }
}
