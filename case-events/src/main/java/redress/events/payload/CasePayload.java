package redress.events.payload;

import java.util.UUID;

/** What every case event payload carries, so a reader needs no other service. */
public interface CasePayload {
    UUID caseId();

    /** The human reference, {@code CMP-2026-000042}. */
    String reference();

    /**
     * The event's {@code subject} and Kafka key: the case id. Only a payload that need not belong
     * to a case ({@link AuditAccessed}) answers anything else.
     */
    default String subject() {
        return caseId().toString();
    }
}
