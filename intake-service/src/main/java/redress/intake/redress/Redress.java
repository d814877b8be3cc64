package redress.intake.redress;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.RedressStage;
import redress.events.payload.RedressRecorded;
import redress.intake.complaint.Complaint;
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
            Instant recordedAt) {
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
                    l.recordedAt);
        }
    }

    /** The ledger of one case: its lines, oldest first, and its totals per currency. */
    public record Ledger(UUID caseId, List<LineView> lines, List<RedressTotal> totals) {}

    private final EventEmitter events;
    private final Clock clock;

    public Redress(EventEmitter events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public LineView record(UUID caseId, RecordRedress body, Actor actor) {
        Currency currency = currency(body.currency());
        long minor = minorUnits(body.amount(), currency);
        String note = body.note() == null || body.note().isBlank()
                ? null
                : body.note().trim();
        Complaint c = Complaint.lockedForUpdate(caseId);
        RedressLine l = new RedressLine();
        l.id = UUID.randomUUID();
        l.caseId = c.id;
        l.stage = body.stage();
        l.kind = body.kind();
        l.amountMinor = minor;
        l.currency = currency.getCurrencyCode();
        l.note = note;
        l.recordedBy = actor.id();
        l.recordedAt = Clocks.now(clock);
        l.persist();
        events.emit(
                actor,
                c.customerId,
                new RedressRecorded(
                        c.id, c.reference, l.id, l.stage, l.kind, l.amountMinor, l.currency, l.note, l.recordedAt),
                null);
        return LineView.of(l);
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
