package redress.intake.redress;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import redress.events.RedressKind;
import redress.events.RedressStage;

/**
 * Body of {@code POST /complaints/{id}/redress}: an amount offered, accepted or paid. {@code amount}
 * is a decimal in the currency's major unit ({@code 125.50} GBP), read exactly (never as a
 * float), with no more decimal places than the currency's minor unit has (two for GBP, none for
 * JPY); {@code currency} an ISO 4217 code. {@code occurredAt}, optional, is when the offer was
 * made, accepted or the payment made (a payment made on the 30th and typed in on the 1st): the
 * regulators' returns count the line at it; absent, it is the time of the call.
 */
public record RecordRedress(
        @NotNull RedressStage stage,
        @NotNull RedressKind kind,
        @NotNull BigDecimal amount,
        @NotNull @Size(min = 3, max = 3) String currency,
        @Size(max = 2_000) String note,
        Instant occurredAt) {}
