package redress.intake.watch;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import redress.events.CaseStatus;
import redress.events.EscalationLevel;
import redress.events.payload.EscalationRaised;
import redress.events.payload.EscalationResolved;
import redress.intake.complaint.Complaint;

/**
 * The watches of cases (issue 31): a WATCH escalation starts one and leaves the case with its owner;
 * it ends when its watcher takes the case over, when the case goes to its level or above (handed over
 * or assigned there), when the case is closed, or when escalation-service resolves the escalation.
 * Every method runs in the caller's transaction, with the case locked first.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Watches {

    /**
     * Records the watch {@code e} asks for. Nothing when it is recorded already (a redelivery), when the
     * case is CLOSED, or when the case is already at the watch's level or above (someone placed it there
     * after the escalation was raised): there is nothing to watch from below.
     */
    public void watch(Complaint c, EscalationRaised e, Instant since) {
        if (CaseWatch.findById(e.escalationId()) != null) {
            return;
        }
        if (c.status() == CaseStatus.CLOSED || c.level().compareTo(e.level()) >= 0) {
            Log.infof(
                    "case %s: watch %s at %s not recorded: the case is %s at %s",
                    c.id, e.escalationId(), e.level(), c.status(), c.level());
            return;
        }
        CaseWatch w = new CaseWatch();
        w.escalationId = e.escalationId();
        w.complaintId = c.id;
        w.level = e.level();
        w.reason = e.reason();
        w.ruleId = e.ruleId();
        w.briefing = e.briefing();
        w.since = since;
        w.persist();
    }

    /** Ends the case's open watches at or below {@code level}: the case went there. */
    public void endAtOrBelow(Complaint c, EscalationLevel level, String by, String reason, Instant now) {
        for (CaseWatch w : CaseWatch.openOfLocked(c.id)) {
            if (w.level.compareTo(level) <= 0) {
                end(w, by, reason, now);
            }
        }
    }

    /** Ends every open watch of the case (it was closed). */
    public void endAll(Complaint c, String by, String reason, Instant now) {
        for (CaseWatch w : CaseWatch.openOfLocked(c.id)) {
            end(w, by, reason, now);
        }
    }

    /** Whether the escalation asked for a watch recorded here. */
    public boolean isWatch(UUID escalationId) {
        return CaseWatch.findById(escalationId) != null;
    }

    /** escalation-service resolved the escalation: its watch, if open, ends. */
    public void resolved(EscalationResolved r, Complaint c, String by, Instant now) {
        CaseWatch w = CaseWatch.findById(r.escalationId());
        if (w != null && w.open() && w.complaintId.equals(c.id)) {
            end(w, by, "escalation resolved" + (r.outcome() == null ? "" : ": " + r.outcome()), now);
        }
    }

    /** Ends one watch. */
    public void end(CaseWatch w, String by, String reason, Instant now) {
        w.endedAt = now;
        w.endedBy = by;
        w.endReason = reason;
    }
}
