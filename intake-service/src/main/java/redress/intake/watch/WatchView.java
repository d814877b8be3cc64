package redress.intake.watch;

import java.time.Instant;
import java.util.UUID;

import redress.events.EscalationLevel;

/**
 * An open watch as the case view shows it: who watches (the level), why, since when, and the briefing
 * the watcher reads; {@code takeOver} is where a watcher takes the case over.
 */
public record WatchView(
        UUID escalationId,
        EscalationLevel level,
        String reason,
        String ruleId,
        Instant since,
        String briefing,
        String takeOver) {

    public static WatchView of(CaseWatch w) {
        return new WatchView(
                w.escalationId,
                w.level,
                w.reason,
                w.ruleId,
                w.since,
                w.briefing,
                "/complaints/" + w.complaintId + "/take-over");
    }
}
