package redress.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code redress.progress-update.due}: an open case's customer has heard nothing from the firm for the
 * profile's {@code workingDays} working days; someone should tell them how it is going (DISP 1.6.1R(2):
 * "ensure the complainant is kept informed thereafter of the progress of the measures being taken for the
 * complaint's resolution").
 *
 * @param lastHeardAt the last time the customer heard from the firm (the receipt, or the latest outbound
 *     contact)
 * @param dueAt {@code workingDays} working days after {@code lastHeardAt}, on the profile's calendar
 * @param profile the case's regulatory profile, whose cadence this is
 */
public record ProgressUpdateDue(
        UUID reminderId,
        UUID caseId,
        String reference,
        String profile,
        Instant lastHeardAt,
        Instant dueAt,
        Integer workingDays)
        implements CasePayload {}
