package redress.intake.redress;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import redress.events.Actor;
import redress.events.RedressKind;
import redress.events.RedressStage;
import redress.events.payload.RedressRecorded;
import redress.intake.complaint.Complaint;
import redress.intake.complaint.ComplaintIntake;
import redress.intake.complaint.IntakeConfig;
import redress.intake.complaint.RedressTotal;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * The redress ledger of each case: a line per amount offered, accepted or paid, each a
 * {@code redress.recorded} event written with it. Amounts are whole minor units of an ISO 4217
 * currency ({@code long}); a case's totals are sums per currency and stage ({@link RedressTotal}). A line may be added
 * whatever the case's status: redress is often paid after the final response.
 */
@ApplicationScoped
public class Redress {

    /** Largest amount taken, in major units: far above any redress, far below overflow. */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

    public record LineView(
            UUID id,
            RedressStage stage,
            String kind,
            long amountMinor,
            String amount,
            String currency,
            String note,
            String recordedBy,
            Instant recordedAt,
            Instant occurredAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) UUID reverses) {
        static LineView of(RedressLine l) {
            return new LineView(
                    l.id,
                    l.stage,
                    l.kind.name(),
                    l.amountMinor,
                    RedressTotal.major(l.amountMinor, l.currency),
                    l.currency,
                    l.note,
                    l.recordedBy,
                    l.recordedAt,
                    l.occurredAt,
                    l.reverses);
        }
    }

    /** A line recorded, or the line an earlier request with the same Idempotency-Key recorded. */
    public record Recorded(LineView line, boolean replayed) {}

    /** The ledger of one case: its lines, oldest first, and its totals per currency. */
    public record Ledger(UUID caseId, List<LineView> lines, List<RedressTotal> totals) {}

    private final EventEmitter events;
    private final Clock clock;
    private final IntakeConfig config;

    public Redress(EventEmitter events, Clock clock, IntakeConfig config) {
        this.events = events;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Records a line. With an {@code idempotencyKey}, a request the same caller already made on this
     * case with that key records nothing and answers the line it recorded (the case's lock orders
     * the two); the same key with another body is a 422. {@code occurredAt}, when given, dates the
     * line (as an interaction's does): not ahead of this clock beyond the skew, not before the receipt.
     */
    @Transactional
    public Recorded record(UUID caseId, RecordRedress body, Actor actor, String idempotencyKey) {
        Instant now = Clocks.now(clock);
        Currency currency = currency(body.currency());
        long minor = minorUnits(body.amount(), currency);
        ComplaintIntake.checkNotAhead(
                "occurredAt", body.occurredAt(), now, config.receivedAt().maxSkew());
        String note = body.note() == null || body.note().isBlank()
                ? null
                : body.note().trim();
        Complaint c = Complaint.lockedForUpdate(caseId);
        Instant occurred = ComplaintIntake.occurredAt(body.occurredAt(), c, now);
        String hash = null;
        if (idempotencyKey != null) {
            // The given time, not the stored one (a time a little ahead is stored as now): a retry
            // of the same body hashes alike. Absent, the hash is the one lines had before the field.
            hash = ComplaintIntake.requestHash((body.stage() + "|" + body.kind() + "|" + minor + "|"
                            + currency.getCurrencyCode() + "|" + (note == null ? "" : note)
                            + (body.occurredAt() == null ? "" : "|" + body.occurredAt()))
                    .getBytes(StandardCharsets.UTF_8));
            RedressLine earlier = RedressLine.<RedressLine>find(
                            "caseId = ?1 and recordedBy = ?2 and idempotencyKey = ?3", c.id, actor.id(), idempotencyKey)
                    .firstResult();
            if (earlier != null) {
                if (!earlier.requestHash.equals(hash)) {
                    throw ComplaintIntake.keyReused(idempotencyKey);
                }
                return new Recorded(LineView.of(earlier), true);
            }
        }
        RedressLine l =
                line(c, body.stage(), body.kind(), minor, currency.getCurrencyCode(), note, actor, null, now, occurred);
        l.idempotencyKey = idempotencyKey;
        l.requestHash = hash;
        l.persist();
        emitRecorded(c, l, actor);
        return new Recorded(LineView.of(l), false);
    }

    /**
     * Reverses a line recorded in error (twice, or the wrong amount): a new line of the same stage,
     * kind and currency with the opposite amount, naming it, with the reason. A line is reversed at
     * most once (409), and a reversal is not itself reversed (422): record the line again instead.
     * A reversal takes place when it is recorded: it corrects the record then, so a payment recorded
     * twice and reversed in a later period leaves that period's sum reduced.
     */
    @Transactional
    public LineView reverse(UUID caseId, UUID lineId, ReverseRedress body, Actor actor) {
        String note = body.note().trim();
        Complaint c = Complaint.lockedForUpdate(caseId);
        RedressLine original = RedressLine.findById(lineId);
        if (original == null || !original.caseId.equals(c.id)) {
            throw ProblemException.notFound("Redress line", lineId);
        }
        if (original.reverses != null) {
            throw ProblemException.unprocessable(
                    "reversal-not-reversible",
                    "line " + lineId + " is itself the reversal of line " + original.reverses
                            + "; record the line again instead");
        }
        if (RedressLine.count("reverses", lineId) > 0) {
            throw ProblemException.conflict("already-reversed", "line " + lineId + " is already reversed");
        }
        Instant now = Clocks.now(clock);
        RedressLine l = line(
                c,
                original.stage,
                original.kind,
                -original.amountMinor,
                original.currency,
                note,
                actor,
                original.id,
                now,
                now);
        l.persist();
        emitRecorded(c, l, actor);
        return LineView.of(l);
    }

    private RedressLine line(
            Complaint c,
            RedressStage stage,
            RedressKind kind,
            long minor,
            String currency,
            String note,
            Actor actor,
            UUID reverses,
            Instant recordedAt,
            Instant occurredAt) {
        RedressLine l = new RedressLine();
        l.id = UUID.randomUUID();
        l.caseId = c.id;
        l.stage = stage;
        l.kind = kind;
        l.amountMinor = minor;
        l.currency = currency;
        l.note = note;
        l.recordedBy = actor.id();
        l.recordedAt = recordedAt;
        l.occurredAt = occurredAt;
        l.reverses = reverses;
        return l;
    }

    private void emitRecorded(Complaint c, RedressLine l, Actor actor) {
        events.emit(
                actor,
                c.customerId,
                new RedressRecorded(
                        c.id,
                        c.reference,
                        l.id,
                        l.stage,
                        l.kind,
                        l.amountMinor,
                        l.currency,
                        l.note,
                        l.recordedAt,
                        l.reverses,
                        l.occurredAt),
                null);
    }

    @Transactional
    public Ledger ledger(UUID caseId) {
        Complaint.existing(caseId);
        List<RedressLine> lines = RedressLine.ofCase(caseId);
        return new Ledger(caseId, lines.stream().map(LineView::of).toList(), RedressTotal.ofCase(caseId));
    }

    /** An ISO 4217 currency with a minor unit (not a fund or test code such as XXX); 400 otherwise. */
    static Currency currency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            throw ProblemException.invalidField("currency", "must be an ISO 4217 code in capitals, such as GBP");
        }
        Currency c;
        try {
            c = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("currency", code + " is not an ISO 4217 currency code");
        }
        if (c.getDefaultFractionDigits() < 0) {
            throw ProblemException.invalidField("currency", code + " is not a currency money is paid in");
        }
        return c;
    }

    /** The amount in whole minor units; 400 when it is not more than zero or splits a minor unit. */
    static long minorUnits(BigDecimal amount, Currency currency) {
        if (amount.signum() <= 0) {
            throw ProblemException.invalidField("amount", "must be more than zero");
        }
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw ProblemException.invalidField("amount", "must be at most " + MAX_AMOUNT.toPlainString());
        }
        int digits = currency.getDefaultFractionDigits();
        if (amount.stripTrailingZeros().scale() > digits) {
            throw ProblemException.invalidField(
                    "amount",
                    amount.toPlainString() + " has more decimal places than " + currency.getCurrencyCode()
                            + "'s minor unit (" + digits + ")");
        }
        return amount.movePointRight(digits).longValueExact();
    }
}
