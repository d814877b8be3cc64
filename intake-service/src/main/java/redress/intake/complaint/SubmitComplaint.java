package redress.intake.complaint;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import redress.events.Channel;
import redress.events.Severity;

/** The body of {@code POST /complaints}. */
public record SubmitComplaint(
        @NotNull @Valid CustomerDetails customer,
        @NotNull Channel channel,
        @NotBlank @Size(max = 100) String category,
        @Size(max = 100) String product,
        @NotBlank @Size(max = 200) String summary,
        @Size(max = 20_000) String description,
        /** Defaults to MEDIUM: no guessing from the text. */
        Severity severity,
        /** One of the configured profile names; defaults to DEFAULT. */
        @Size(max = 50) String regulatoryProfile,
        /** The submitting system's own reference for the complaint. */
        @Size(max = 100) String externalReference,
        /**
         * The firm's receipt (a letter's date stamp, a call's time); now when absent. Left out of the
         * canonical form when absent, so that an Idempotency-Key remembered from before this field
         * existed still matches the same body.
         */
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant receivedAt) {

    /** The customer: the firm's own id, and personal data kept together. */
    public record CustomerDetails(
            @NotBlank @Size(max = 100) String id,
            @Size(max = 200) String name,
            @Email @Size(max = 320) String email,
            @Size(max = 50) String phone) {}
}
