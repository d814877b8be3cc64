package redress.escalation.projection;

import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.payload.CaseAssigned;
import redress.events.payload.CaseClosed;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReopened;
import redress.events.payload.CaseResolved;
import redress.events.payload.CaseStatusChanged;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.CustomerErased;
import redress.events.payload.DeadlineBreached;
import redress.events.payload.DeadlineCorrected;
import redress.events.payload.DeadlineWarning;
import redress.events.payload.FollowupCompleted;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseCorrected;
import redress.events.payload.PromiseMissed;
import redress.events.payload.VulnerabilityChanged;

/** Folds one event into a case's projection. Plain Java: the same code serves live evaluation and tests. */
public final class Projector {

    private Projector() {}

    public static void apply(CaseProjection p, CaseEvent event, CasePayload payload) {
        if (payload.reference() != null) {
            p.reference = payload.reference();
        }
        if (event.customerid() != null) {
            p.customerId = event.customerid();
        }
        p.lastEventAt = event.time();
        if (payload instanceof ComplaintReceived c) {
            p.summary = c.summary();
            p.severity(c.severity());
            p.category = c.category();
            p.product = c.product();
            p.regulatoryProfile = c.regulatoryProfile();
            if (c.level() != null) {
                p.level = c.level().name();
            }
            p.status(c.status() == null ? CaseStatus.OPEN : c.status());
            p.receivedAt = c.receivedAt() == null ? event.time() : c.receivedAt();
            p.earlierComplaints = c.earlierComplaints();
        } else if (payload instanceof CaseAssigned a) {
            if (a.level() != null) {
                p.level = a.level().name();
            }
            p.assignee = a.assignee();
            p.severity(a.severity());
        } else if (payload instanceof CaseStatusChanged s) {
            p.status(s.to());
        } else if (payload instanceof CaseResolved r) {
            p.status(CaseStatus.RESOLVED);
            p.severity(r.severity());
        } else if (payload instanceof CaseClosed) {
            p.status(CaseStatus.CLOSED);
        } else if (payload instanceof CaseReopened) {
            p.status(CaseStatus.REOPENED);
            p.reopenings++;
        } else if (payload instanceof InteractionRecorded i && i.kind() != null) {
            switch (i.kind()) {
                case CUSTOMER_CONTACT -> {
                    if (i.tone() != null) {
                        p.addTone(i.tone());
                    }
                }
                case BOUNDARY_WARNING -> p.boundaryWarnings++;
                case CONVERSATION_ENDED -> p.conversationsEnded++;
                case SOLUTION_REJECTED -> p.solutionsRejected++;
                case ASSISTANCE_REQUESTED -> p.assistanceRequests++;
                case MANAGER_REQUESTED -> p.managerRequests++;
                default -> {}
            }
            if (i.coaching() != null) {
                p.coachingFindings += i.coaching().findings().size();
            }
            // The first agent interaction moves an open case on; intake says so with its own event.
        } else if (payload instanceof PromiseMissed) {
            p.promisesMissed++;
        } else if (payload instanceof DeadlineWarning) {
            p.deadlineWarnings++;
        } else if (payload instanceof DeadlineBreached) {
            p.deadlineBreaches++;
        } else if (payload instanceof DeadlineCorrected d && d.withdrawnEventId() != null) {
            // A breach withdrawn: the deadline was met in time after all.
            p.deadlineBreaches = Math.max(0, p.deadlineBreaches - 1);
        } else if (payload instanceof PromiseCorrected) {
            p.promisesMissed = Math.max(0, p.promisesMissed - 1);
        } else if (payload instanceof FollowupCompleted f && Boolean.FALSE.equals(f.satisfied())) {
            p.followupsDissatisfied++;
        } else if (payload instanceof VulnerabilityChanged v) {
            p.vulnerable = v.vulnerable();
        } else if (payload instanceof CustomerErased) {
            // The flags went with the customer's key: nobody knows any more that they are vulnerable.
            p.vulnerable = false;
        }
    }
}
