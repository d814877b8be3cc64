package redress.events.payload;

import java.util.UUID;

/** What every case event payload carries, so a reader needs no other service. */
public interface CasePayload {
    UUID caseId();

    /** The human reference, {@code CMP-2026-000042}. */
    String reference();
}
