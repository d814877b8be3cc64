package redress.events.payload;

import java.util.UUID;

/** {@code redress.case.closed}. */
public record CaseClosed(UUID caseId, String reference, String reason) implements CasePayload {}
