package redress.audit.returns;

import java.time.LocalDate;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /returns}: which return ({@code FCA}) for which period, {@code to} exclusive. */
public record CreateReturn(
        @NotBlank String family,
        @NotNull LocalDate from,
        @NotNull LocalDate to) {}
