package redress.intake.complaint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import redress.events.Actor;
import redress.events.CaseStatus;
import redress.events.Severity;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.intake.customer.CustomerKeys;
import redress.intake.customer.CustomerView;
import redress.intake.customer.Vulnerabilities;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Accepts complaints. With an Idempotency-Key, the key is claimed by the first statement of the
 * transaction ({@code INSERT … ON CONFLICT DO NOTHING}), naming the case it is about to make (the
 * case id is chosen before; the reference to it is checked at commit): a concurrent retry waits for
 * the first submission to commit and then finds it, so one key never makes two cases.
 *
 * <p>A submission is one transaction of few round trips (docs/performance.md, "Intake: statements
 * per complaint"): the key's claim, the customer's key row, the reference number with the earlier
 * complaints, the outbox row, the case row, the commit.
 */
@ApplicationScoped
public class ComplaintIntake {

    /**
     * The outcome of a submission: the case, the customer's complaints before it that the submitter
     * may see, whether it is the answer to an earlier submission, and the customer in clear as just
     * submitted (null for a replay: read it with {@link CustomerKeys#view}).
     */
    public record Submitted(
            Complaint complaint,
            List<ComplaintView.EarlierComplaint> earlier,
            boolean replayed,
            CustomerView customer) {}

    /**
     * Sorted keys, no whitespace: the same JSON in another order or layout hashes the same. Times as
     * parsed instants in UTC, so one moment written with another offset is the same body.
     */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final EntityManager em;
    private final EventEmitter events;
    private final IntakeConfig config;
    private final MeterRegistry metrics;
    private final ReferenceNumbers references;
    private final Clock clock;
    private final CustomerKeys keys;
    private final Vulnerabilities vulnerabilities;
    private final ProfileNames profiles;

    public ComplaintIntake(
            EntityManager em,
            EventEmitter events,
            IntakeConfig config,
            MeterRegistry metrics,
            ReferenceNumbers references,
            Clock clock,
            CustomerKeys keys,
            ProfileNames profiles,
            Vulnerabilities vulnerabilities) {
        this.em = em;
        this.vulnerabilities = vulnerabilities;
        this.profiles = profiles;
        this.keys = keys;
        this.clock = clock;
        this.references = references;
        this.events = events;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * @param scope the submitter the caller is confined to ({@link CaseAccess#scope}): the earlier
     *     complaints shown are only those it submitted; empty shows them all
     */
    public Submitted submit(SubmitComplaint request, String idempotencyKey, Actor submitter, Optional<String> scope) {
        String profile =
                profiles.require(request.regulatoryProfile() == null ? "DEFAULT" : request.regulatoryProfile());
        checkReceivedAt(request.receivedAt(), Clocks.now(clock));
        Submitted s =
                QuarkusTransaction.requiringNew().call(() -> store(request, profile, idempotencyKey, submitter, scope));
        if (!s.replayed()) {
            metrics.counter(
                            "redress.complaints.received",
                            "channel",
                            s.complaint().channel.name(),
                            "severity",
                            s.complaint().severity.name())
                    .increment();
        }
        return s;
    }

    private Submitted store(
            SubmitComplaint request, String profile, String idempotencyKey, Actor submitter, Optional<String> scope) {
        UUID id = UUID.randomUUID();
        String requestHash = null;
        if (idempotencyKey != null) {
            requestHash = hash(request);
            // The claim names the case before it exists: the foreign key is checked at commit.
            int claimed = em.createNativeQuery(
                            "INSERT INTO idempotency_key (submitter, key, request_hash, complaint_id) "
                                    + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
                    .setParameter(1, submitter.id())
                    .setParameter(2, idempotencyKey)
                    .setParameter(3, requestHash)
                    .setParameter(4, id)
                    .executeUpdate();
            if (claimed == 0) {
                return replay(submitter, idempotencyKey, requestHash, scope);
            }
        }

        Instant now = Clocks.now(clock);
        Instant receivedAt = receipt(request.receivedAt(), now);
        Complaint c = new Complaint();
        c.id = id;
        var customer = request.customer();
        c.customerId = customer.id().trim();
        Customer clear = new Customer(
                c.customerId, trimmed(customer.name()), trimmed(customer.email()), trimmed(customer.phone()));
        // The key row first (locked, or made), then the customer's earlier cases: a concurrent
        // complaint of the same customer has committed by then and is counted.
        CustomerKeys.Sealing sealing = keys.sealReceived(clear);
        c.sealCustomer(sealing.sealed());
        c.channel = request.channel();
        c.category = request.category().trim();
        c.product = trimmed(request.product());
        c.summary = request.summary().trim();
        c.description = request.description();
        c.severity = request.severity() == null ? Severity.MEDIUM : request.severity();
        c.regulatoryProfile = profile;
        c.externalReference = trimmed(request.externalReference());
        c.submittedBy = submitter.id();
        c.receive(receivedAt, now);
        Earlier earlier = numberAndEarlierOnRecord(c, scope);
        c.persist();

        events.emit(
                submitter,
                c.customerId,
                ComplaintReceived.builder()
                        .caseId(c.id)
                        .reference(c.reference)
                        .customer(c.sealedCustomer())
                        .channel(c.channel)
                        .category(c.category)
                        .product(c.product)
                        .summary(c.summary)
                        .description(c.description)
                        .severity(c.severity)
                        .level(c.level())
                        .status(c.status())
                        .regulatoryProfile(c.regulatoryProfile)
                        .externalReference(c.externalReference)
                        .receivedAt(c.receivedAt())
                        .earlierComplaints(earlier.total())
                        .registeredAt(c.registeredAt())
                        .build(),
                null);
        // A returning customer already known to be vulnerable: the new case says so too.
        vulnerabilities.announceReceived(c, submitter, sealing);
        return new Submitted(
                c,
                earlier.shown(),
                false,
                new CustomerView(c.customerId, clear.name(), clear.email(), clear.phone(), false));
    }

    private Submitted replay(Actor submitter, String key, String requestHash, Optional<String> scope) {
        Object[] row = (Object[]) em.createNativeQuery(
                        "SELECT request_hash, complaint_id FROM idempotency_key WHERE submitter = ?1 AND key = ?2")
                .setParameter(1, submitter.id())
                .setParameter(2, key)
                .getSingleResult();
        if (!requestHash.equals(row[0])) {
            throw keyReused(key);
        }
        Complaint c = Complaint.existing((UUID) row[1]);
        return new Submitted(
                c, earlier(c.customerId, c.receivedAt(), c.id, scope).shown(), true, null);
    }

    /**
     * A submitted receipt must lie between {@code max-age} ago and {@code max-skew} ahead (400 naming
     * {@code receivedAt} otherwise). Checked before the Idempotency-Key, like the rest of the body.
     */
    void checkReceivedAt(Instant receivedAt, Instant now) {
        if (receivedAt == null) {
            return;
        }
        var bounds = config.receivedAt();
        checkNotAhead("receivedAt", receivedAt, now, bounds.maxSkew());
        if (receivedAt.isBefore(now.minus(bounds.maxAge()))) {
            throw ProblemException.invalidField(
                    "receivedAt", "must not be more than " + words(bounds.maxAge()) + " ago");
        }
    }

    /**
     * A time the caller gave for something that already happened (a receipt, an interaction) more
     * than {@code maxSkew} ahead of this clock: 400 naming {@code field}.
     */
    public static void checkNotAhead(String field, Instant given, Instant now, Duration maxSkew) {
        if (given != null && given.isAfter(now.plus(maxSkew))) {
            throw ProblemException.invalidField(
                    field,
                    "must not be in the future (it is more than " + words(maxSkew) + " ahead of this service's clock)");
        }
    }

    /**
     * When something done on a case took place ({@code occurredAt}: an interaction, a redress line):
     * the given time to the microsecond (one a little ahead of this clock taken as now), or now. Not
     * before the complaint's receipt (400 naming {@code occurredAt}): nothing is said, offered or paid
     * to a customer about a complaint the firm had not yet received. Its distance ahead is checked
     * with the body, by {@link #checkNotAhead}.
     */
    public static Instant occurredAt(Instant given, Complaint c, Instant now) {
        Instant t = receipt(given, now);
        if (t.isBefore(c.receivedAt())) {
            throw ProblemException.invalidField(
                    "occurredAt", "must not be before the complaint's receipt (" + c.receivedAt() + ")");
        }
        return t;
    }

    /**
     * The receipt as stored: the submitted one to the microsecond, or now. A receipt a little ahead
     * of this clock (within the skew) is taken as now: a complaint is not received after it was
     * registered.
     */
    public static Instant receipt(Instant submitted, Instant now) {
        if (submitted == null) {
            return now;
        }
        Instant t = submitted.truncatedTo(ChronoUnit.MICROS);
        return t.isAfter(now) ? now : t;
    }

    static String words(Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toSeconds() % 60 == 0 && d.toMinutes() < 1440) {
            return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
        }
        return d.toString();
    }

    /** The customer's complaints received before this one, newest first. */
    public List<ComplaintView.EarlierComplaint> earlier(Complaint c) {
        return earlier(c.customerId, c.receivedAt(), c.id, Optional.empty()).shown();
    }

    private record Earlier(List<ComplaintView.EarlierComplaint> shown, int total) {}

    /**
     * For a new case: its reference number, and its customer's earlier complaints, in one query.
     * The links are the complaints received before it (a backdated receipt may precede some on
     * record) that the submitter may see, the count is every complaint on record: the earlier ones
     * sort first, each row carries the total and its submitter, and the others are dropped here.
     * The number is taken once ({@code MATERIALIZED}), also when the customer has no complaint.
     */
    @SuppressWarnings("unchecked")
    private Earlier numberAndEarlierOnRecord(Complaint c, Optional<String> scope) {
        String before = "(received_at < ?2 OR (received_at = ?2 AND id < ?3))";
        List<Object[]> rows = em.createNativeQuery("WITH n AS MATERIALIZED (SELECT nextval('"
                        + references.sequence(c.receivedAt()) + "') AS v) "
                        + "SELECT n.v, e.id, e.reference, e.status, e.received_at, e.total, e.before, e.submitted_by "
                        + "FROM n LEFT JOIN LATERAL (SELECT id, reference, status, received_at, count(*) OVER () AS total, "
                        + before + " AS before, submitted_by FROM complaint WHERE customer_id = ?1 ORDER BY " + before
                        + " DESC, received_at DESC, id DESC LIMIT " + config.earlierComplaintsShown() + ") e ON true")
                .setParameter(1, c.customerId)
                .setParameter(2, c.receivedAt())
                .setParameter(3, c.id)
                .getResultList();
        c.reference = ReferenceNumbers.reference(c.receivedAt(), ((Number) rows.get(0)[0]).longValue());
        List<ComplaintView.EarlierComplaint> shown = rows.stream()
                .filter(r -> Boolean.TRUE.equals(r[6]) && visible(scope, r[7]))
                .map(r -> earlierComplaint(Arrays.copyOfRange(r, 1, 5)))
                .toList();
        Object total = rows.get(0)[5];
        return new Earlier(shown, total == null ? 0 : ((Number) total).intValue());
    }

    private static boolean visible(Optional<String> scope, Object submittedBy) {
        return scope.isEmpty() || scope.get().equals(submittedBy);
    }

    private static ComplaintView.EarlierComplaint earlierComplaint(Object[] r) {
        return new ComplaintView.EarlierComplaint(
                (UUID) r[0], (String) r[1], CaseStatus.valueOf((String) r[2]), toInstant(r[3]), "/complaints/" + r[0]);
    }

    /** The newest few complaints of the customer received before the given position that {@code scope} may see. */
    @SuppressWarnings("unchecked")
    private Earlier earlier(String customerId, Instant before, UUID beforeId, Optional<String> scope) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT id, reference, status, received_at, count(*) OVER (), submitted_by "
                                + "FROM complaint WHERE customer_id = ?1 AND (received_at < ?2 OR (received_at = ?2 AND id < ?3)) "
                                + "ORDER BY received_at DESC, id DESC LIMIT " + config.earlierComplaintsShown())
                .setParameter(1, customerId)
                .setParameter(2, before)
                .setParameter(3, beforeId)
                .getResultList();
        List<ComplaintView.EarlierComplaint> shown = rows.stream()
                .filter(r -> visible(scope, r[5]))
                .map(ComplaintIntake::earlierComplaint)
                .toList();
        return new Earlier(shown, rows.isEmpty() ? 0 : ((Number) rows.get(0)[4]).intValue());
    }

    private static Instant toInstant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((Timestamp) v).toInstant();
    }

    static String hash(SubmitComplaint request) {
        try {
            return requestHash(CANONICAL.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash request", e);
        }
    }

    /** What an Idempotency-Key remembers of a request: the SHA-256 of its canonical bytes, in hex. */
    public static String requestHash(byte[] canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash request", e);
        }
    }

    /** 422 {@code idempotency-key-reused}: the key came before with another request. */
    public static ProblemException keyReused(String key) {
        return ProblemException.unprocessable(
                "idempotency-key-reused", "Idempotency-Key " + key + " was already used with a different request body");
    }

    private static String trimmed(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
