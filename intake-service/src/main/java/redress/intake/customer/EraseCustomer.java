package redress.intake.customer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /customers/{customerId}/erasure}: why (recorded in the erasure event and the audit log). */
public record EraseCustomer(@NotBlank @Size(max = 500) String reason) {}
