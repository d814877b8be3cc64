package redress.followup.progress;

import java.time.Instant;
import java.util.UUID;

/** A suggested customer notice as the API shows it: its text, the escalation it came from, and what sent it. */
public record CustomerNoticeView(
        UUID id,
        UUID caseId,
        String reference,
        UUID escalationId,
        String level,
        String text,
        Instant responseDueAt,
        Instant suggestedAt,
        String status,
        Instant sentAt,
        ProgressUpdateView.SentBy sentBy,
        Instant cancelledAt) {

    static CustomerNoticeView of(CustomerNotice n) {
        return new CustomerNoticeView(
                n.id,
                n.caseId,
                n.reference,
                n.escalationId,
                n.level,
                n.text,
                n.responseDueAt,
                n.suggestedAt,
                n.state,
                n.sentAt,
                n.sentByEventId == null ? null : new ProgressUpdateView.SentBy(n.sentByKind, n.sentByEventId),
                n.cancelledAt);
    }
}
