package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.Severity;

/**
 * {@code redress.complaint.received}: a complaint was accepted and became a case. {@code receivedAt}
 * is the firm's receipt (a letter's date stamp, a call's time: what regulators count from);
 * {@code registeredAt} is when intake-service was called. A reader of an event without
 * {@code registeredAt} (written before it existed) takes {@code receivedAt}.
 */
public record ComplaintReceived(
        UUID caseId,
        String reference,
        Customer customer,
        Channel channel,
        String category,
        String product,
        String summary,
        String description,
        Severity severity,
        EscalationLevel level,
        CaseStatus status,
        String regulatoryProfile,
        String externalReference,
        Instant receivedAt,
        int earlierComplaints,
        Instant registeredAt)
        implements CasePayload {

    /** A complaint received, its components set by name rather than by position. */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for the components; a component left unset is {@code null} (or {@code 0}). */
    public static final class Builder {
        private UUID caseId;
        private String reference;
        private Customer customer;
        private Channel channel;
        private String category;
        private String product;
        private String summary;
        private String description;
        private Severity severity;
        private EscalationLevel level;
        private CaseStatus status;
        private String regulatoryProfile;
        private String externalReference;
        private Instant receivedAt;
        private int earlierComplaints;
        private Instant registeredAt;

        private Builder() {}

        public Builder caseId(UUID caseId) {
            this.caseId = caseId;
            return this;
        }

        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        public Builder customer(Customer customer) {
            this.customer = customer;
            return this;
        }

        public Builder channel(Channel channel) {
            this.channel = channel;
            return this;
        }

        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder product(String product) {
            this.product = product;
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder level(EscalationLevel level) {
            this.level = level;
            return this;
        }

        public Builder status(CaseStatus status) {
            this.status = status;
            return this;
        }

        public Builder regulatoryProfile(String regulatoryProfile) {
            this.regulatoryProfile = regulatoryProfile;
            return this;
        }

        public Builder externalReference(String externalReference) {
            this.externalReference = externalReference;
            return this;
        }

        public Builder receivedAt(Instant receivedAt) {
            this.receivedAt = receivedAt;
            return this;
        }

        public Builder earlierComplaints(int earlierComplaints) {
            this.earlierComplaints = earlierComplaints;
            return this;
        }

        public Builder registeredAt(Instant registeredAt) {
            this.registeredAt = registeredAt;
            return this;
        }

        public ComplaintReceived build() {
            return new ComplaintReceived(
                    caseId,
                    reference,
                    customer,
                    channel,
                    category,
                    product,
                    summary,
                    description,
                    severity,
                    level,
                    status,
                    regulatoryProfile,
                    externalReference,
                    receivedAt,
                    earlierComplaints,
                    registeredAt);
        }
    }
}
