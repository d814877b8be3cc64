package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.RedressKind;
import redress.events.RedressStage;

/**
 * {@code redress.redress.recorded}: one line of a case's redress ledger: an amount offered to the
 * customer, accepted by them, or paid. Money is never a float: {@code amountMinor} is a whole
 * number of the currency's minor units (pence, cents; yen for JPY), {@code currency} its ISO 4217
 * code. Lines are only added; a correction is a new line with its note.
 *
 * @param redressId  this line's id
 * @param recordedAt when it was recorded (the firm's record of the offer, acceptance or payment)
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
        Instant recordedAt)
        implements CasePayload {}
