package redress.intake.customer;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.CustomerSeal;
import redress.events.EventCodec;
import redress.events.payload.VulnerabilityChanged;
import redress.events.payload.VulnerabilityRead;
import redress.intake.complaint.Complaint;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Vulnerable customers (FCA FG21/1; docs/security.md, "Vulnerability flags"): a customer's drivers
 * of vulnerability and a note, one set per customer shared by all their cases, sealed with the
 * customer's data key in {@code customer_vulnerability}, so an erasure, which destroys the key,
 * takes them with it. Nothing of them leaves this class in clear but the answer to the agent who
 * asked: the events say only whether the customer is vulnerable ({@code
 * customer.vulnerability-changed}), and every read that answers them is itself an event ({@code
 * customer.vulnerability-read}, the reader as its actor).
 */
@ApplicationScoped
public class Vulnerabilities {

    /** The FCA's four drivers of vulnerability (FG21/1). */
    public enum Driver {
        HEALTH,
        LIFE_EVENTS,
        RESILIENCE,
        CAPABILITY
    }

    public static final int NOTE_MAX = 2_000;
    static final String PURPOSE = "vulnerability";

    /**
     * The flags as the API shows them. {@code erased}: the case's customer was erased, and their
     * flags with them (nothing else is shown then).
     */
    public record View(
            UUID caseId,
            String customerId,
            boolean erased,
            boolean vulnerable,
            List<Driver> drivers,
            String note,
            String updatedBy,
            Instant updatedAt) {

        static View erased(Complaint c) {
            return new View(c.id, c.customerId, true, false, List.of(), null, null, null);
        }
    }

    /** The sealed plain text. */
    record Flags(List<Driver> drivers, String note) {
        boolean vulnerable() {
            return !drivers.isEmpty();
        }
    }

    /** A customer's row, opened. */
    private record Stored(Flags flags, String updatedBy, Instant updatedAt) {}

    private final EntityManager em;
    private final CustomerKeys keys;
    private final EventEmitter events;
    private final Clock clock;

    public Vulnerabilities(EntityManager em, CustomerKeys keys, EventEmitter events, Clock clock) {
        this.em = em;
        this.keys = keys;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Sets the case's customer's flags (all of them: an empty list clears them), sealed with their
     * current key under its row lock, and tells each of their cases that is not CLOSED whether the
     * customer is vulnerable now. 400 for an unknown driver or a note without a driver, 404 for an
     * unknown case, 409 when the case's customer was erased.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public View set(UUID caseId, SetVulnerability body, Actor actor) {
        Flags flags = flags(body);
        Complaint c = Complaint.existing(caseId);
        CustomerKeys.LiveKey key = liveKeyOf(c, true)
                .orElseThrow(() -> ProblemException.conflict(
                        "customer-erased",
                        "The customer of case " + caseId + " was erased: there is no one to record flags for"));
        CustomerSeal.Sealed sealed;
        try {
            sealed = CustomerSeal.seal(EventCodec.mapper().writeValueAsBytes(flags), key.kid(), PURPOSE, key.key());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the vulnerability flags", e);
        }
        Instant now = Clocks.now(clock);
        em.createNativeQuery(
                        "INSERT INTO customer_vulnerability (customer_id, kid, iv, ct, updated_by, updated_at) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (customer_id) DO UPDATE SET kid = EXCLUDED.kid, "
                                + "iv = EXCLUDED.iv, ct = EXCLUDED.ct, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")
                .setParameter(1, c.customerId)
                .setParameter(2, key.kid())
                .setParameter(3, sealed.iv())
                .setParameter(4, sealed.ct())
                .setParameter(5, actor.id())
                .setParameter(6, now)
                .executeUpdate();
        // The customer's cases this key covers (and any still stored in clear), not CLOSED: a case
        // reopened later is told then (announce).
        List<Object[]> cases = em.createNativeQuery(
                        "SELECT id, reference FROM complaint WHERE customer_id = ?1 "
                                + "AND (customer_kid = ?2 OR customer_kid IS NULL) AND status <> 'CLOSED' ORDER BY received_at, id")
                .setParameter(1, c.customerId)
                .setParameter(2, key.kid())
                .getResultList();
        UUID correlation = UUID.randomUUID();
        for (Object[] r : cases) {
            events.emit(
                    actor,
                    c.customerId,
                    new VulnerabilityChanged((UUID) r[0], (String) r[1], flags.vulnerable()),
                    null,
                    correlation);
        }
        return view(c, new Stored(flags, actor.id(), now));
    }

    /**
     * The case's customer's flags in clear, the read recorded as a {@code
     * customer.vulnerability-read} event in the same transaction (no answer without its record).
     * A customer whose flags were never set reads as not vulnerable; an erased one as erased, and
     * that read is not recorded (it shows nothing).
     */
    @Transactional
    public View read(UUID caseId, Actor actor) {
        Complaint c = Complaint.existing(caseId);
        Optional<CustomerKeys.LiveKey> key = liveKeyOf(c, false);
        if (key.isEmpty()) {
            return View.erased(c);
        }
        Stored stored = stored(c.customerId, key.get()).orElse(null);
        events.emit(actor, c.customerId, new VulnerabilityRead(c.id, c.reference, Clocks.now(clock)), null);
        return view(c, stored);
    }

    /**
     * Tells a case that has just been received or reopened whether its customer is vulnerable, when
     * their flags were ever set under their live key (a new case starts as not vulnerable wherever
     * it is projected; a reopened one may have missed a change while it was CLOSED). In the
     * caller's transaction; reads the key without its row lock (the case row is held).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(Complaint c, Actor actor, CaseEvent cause) {
        liveKeyOf(c, false)
                .flatMap(key -> stored(c.customerId, key))
                .ifPresent(s -> events.emit(
                        actor,
                        c.customerId,
                        new VulnerabilityChanged(c.id, c.reference, s.flags().vulnerable()),
                        cause));
    }

    /**
     * As {@link #announce}, for a case just received and sealed with {@code sealing}'s key (its row
     * lock held): no second read of the key, and no read at all when the key was made by this
     * submission, since flags are kept under a key and none can be kept under one so new.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announceReceived(Complaint c, Actor actor, CustomerKeys.Sealing sealing) {
        if (sealing.fresh()) {
            return;
        }
        stored(c.customerId, sealing.key())
                .ifPresent(s -> events.emit(
                        actor,
                        c.customerId,
                        new VulnerabilityChanged(c.id, c.reference, s.flags().vulnerable()),
                        null));
    }

    /**
     * The customer's live key when it is the one the case's customer is sealed with (or the case is
     * stored in clear): empty when the customer was erased, this case with them.
     */
    private Optional<CustomerKeys.LiveKey> liveKeyOf(Complaint c, boolean lock) {
        return keys.liveKey(c.customerId, lock).filter(k -> c.customerKid == null || c.customerKid.equals(k.kid()));
    }

    /** The customer's flags under this key; empty when never set, or set under a key since erased. */
    @SuppressWarnings("unchecked")
    private Optional<Stored> stored(String customerId, CustomerKeys.LiveKey key) {
        List<Object[]> rows = em.createNativeQuery("SELECT iv, ct, updated_by, updated_at FROM customer_vulnerability "
                        + "WHERE customer_id = ?1 AND kid = ?2")
                .setParameter(1, customerId)
                .setParameter(2, key.kid())
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        byte[] plain =
                CustomerSeal.open(new CustomerSeal.Sealed((String) r[0], (String) r[1]), key.kid(), PURPOSE, key.key());
        Flags flags;
        try {
            flags = EventCodec.mapper().readValue(plain, Flags.class);
        } catch (IOException e) {
            throw new IllegalStateException("the vulnerability flags of customer " + customerId + " do not read", e);
        }
        return Optional.of(new Stored(flags, (String) r[2], instant(r[3])));
    }

    private static View view(Complaint c, Stored s) {
        if (s == null) {
            return new View(c.id, c.customerId, false, false, List.of(), null, null, null);
        }
        Flags f = s.flags();
        return new View(c.id, c.customerId, false, f.vulnerable(), f.drivers(), f.note(), s.updatedBy(), s.updatedAt());
    }

    /** The body checked: known drivers, each once, in the FCA's order; a note only with a driver. */
    static Flags flags(SetVulnerability body) {
        if (body.drivers() == null) {
            throw ProblemException.invalidField(
                    "drivers", "is required: a list of " + Arrays.toString(Driver.values()) + ", empty to clear them");
        }
        Set<Driver> drivers = EnumSet.noneOf(Driver.class);
        for (String d : body.drivers()) {
            try {
                drivers.add(Driver.valueOf(d == null ? "" : d.trim()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField(
                        "drivers",
                        "\"" + d + "\" is not a driver of vulnerability: one of " + Arrays.toString(Driver.values()));
            }
        }
        String note = body.note() == null || body.note().isBlank()
                ? null
                : body.note().strip();
        if (note != null && drivers.isEmpty()) {
            throw ProblemException.invalidField(
                    "note", "is about the drivers: send at least one, or no drivers and no note to clear the flags");
        }
        return new Flags(new ArrayList<>(drivers), note);
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a time: " + value);
    }
}
