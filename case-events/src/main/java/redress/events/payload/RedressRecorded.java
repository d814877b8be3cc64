package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import redress.events.RedressKind;
import redress.events.RedressStage;

/**
 * {@code redress.redress.recorded}: one line of a case's redress ledger: an amount offered to the
 * customer, accepted by them, or paid. Money is never a float: {@code amountMinor} is a whole
 * number of the currency's minor units (pence, cents; yen for JPY), {@code currency} its ISO 4217
 * code. Lines are only added; a line recorded in error is taken out by its reversal: a new line of
 * the same stage, kind and currency whose {@code amountMinor} is the opposite (negative) of the
 * line it {@code reverses}, with the reason in its note. Sums of {@code amountMinor} are the net.
 *
 * @param redressId  this line's id
 * @param recordedAt when it was recorded (the firm's record of the offer, acceptance or payment)
 * @param reverses   the line this one reverses, or null (absent) for a line of its own
 * @param occurredAt when the offer was made, accepted or the payment made, which the agent may give
 *                   (a payment made on the 30th and recorded on the 1st); absent from lines recorded
 *                   before it existed, whose time is {@code recordedAt}. A reversal's is its own
 *                   {@code recordedAt}: it corrects the record when it is made
 */
public record RedressRecorded(
        UUID caseId,
        String reference,
        UUID redressId,
        RedressStage stage,
        RedressKind kind,
        long amountMinor,
        String currency,
        String note,
        Instant recordedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID reverses,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant occurredAt)
        implements CasePayload {}
