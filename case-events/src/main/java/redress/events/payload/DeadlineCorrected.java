package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.deadline.corrected}: a deadline announced breached (or a window recorded missed)
 * was in fact met before its due time; the event that met it arrived late. The deadline is now
 * {@code MET} at {@code metAt}; {@code withdrawnEventId} names the {@code deadline.breached} it
 * withdraws (absent for a missed window, which emitted nothing). The envelope's causation is the
 * meeting event.
 */
public record DeadlineCorrected(
        UUID deadlineId,
        UUID caseId,
        String reference,
        String kind,
        String profile,
        Instant dueAt,
        Instant metAt,
        String withdrawnState,
        UUID withdrawnEventId,
        String reason)
        implements CasePayload {}
