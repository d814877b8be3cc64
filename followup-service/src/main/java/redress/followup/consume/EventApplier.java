package redress.followup.consume;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Direction;
import redress.events.EscalationAction;
import redress.events.Subjects;
import redress.events.payload.CaseAcknowledged;
import redress.events.payload.CaseClosed;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReclassified;
import redress.events.payload.CaseReopened;
import redress.events.payload.CaseResolved;
import redress.events.payload.CaseStatusChanged;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.EscalationAcknowledged;
import redress.events.payload.EscalationRaised;
import redress.events.payload.EscalationResolved;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseKept;
import redress.events.payload.PromiseMade;
import redress.followup.CaseState;
import redress.followup.deadline.CaseMeeting;
import redress.followup.deadline.Deadlines;
import redress.followup.deadline.Meeting;
import redress.followup.profile.ClockSpec;
import redress.followup.profile.DeadlineSpec;
import redress.followup.profile.MeetingTokens;
import redress.followup.profile.ProfileDefinition;
import redress.followup.profile.ProfileVersion;
import redress.followup.profile.Profiles;
import redress.followup.progress.CustomerNotices;
import redress.followup.progress.ProgressUpdates;
import redress.followup.promise.WatchedPromises;
import redress.followup.satisfaction.Followups;
import redress.support.db.DbText;
import redress.support.time.Clocks;

/**
 * Applies one consumed event, in the consumer's transaction: what it schedules, meets, pauses,
 * resumes, re-arms or cancels among the case's deadlines, promises and follow-ups.
 */
@ApplicationScoped
public class EventApplier {

    @ConfigMapping(prefix = "redress.followup")
    public interface FollowupConfig {
        /** The profile of a case whose complaint named none. */
        @WithDefault("DEFAULT")
        String defaultProfile();

        /** Working time (on the case's calendar) an escalation has to be acknowledged in. */
        @WithDefault("PT4H")
        String escalationResponse();
    }

    /** The tokens a reopening forgets: the case is no longer resolved, nor resolved within a window. */
    static final List<String> UNDONE_BY_REOPENING = List.of(MeetingTokens.RESOLVED, MeetingTokens.SUMMARY_RESOLUTION);

    private final Profiles profiles;
    private final Deadlines deadlines;
    private final WatchedPromises promises;
    private final Followups followups;
    private final ProgressUpdates progress;
    private final CustomerNotices notices;
    private final FollowupConfig config;
    private final CaseLocks locks;
    private final Clock clock;

    public EventApplier(
            Profiles profiles,
            Deadlines deadlines,
            WatchedPromises promises,
            Followups followups,
            ProgressUpdates progress,
            CustomerNotices notices,
            FollowupConfig config,
            CaseLocks locks,
            Clock clock) {
        this.locks = locks;
        this.progress = progress;
        this.notices = notices;
        this.profiles = profiles;
        this.deadlines = deadlines;
        this.promises = promises;
        this.followups = followups;
        this.config = config;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CaseEvent event, CasePayload payload) {
        if (Subjects.belongsToNoCase(payload)) {
            return; // a taxonomy version: no case to schedule anything for
        }
        UUID caseId = Subjects.requireCaseSubject(event, payload);
        CaseState c = locks.locked(caseId, Clocks.now(clock));
        c.touch(Clocks.now(clock));
        if (payload.reference() != null) {
            c.reference = DbText.of(payload.reference());
        }
        if (event.customerid() != null) {
            c.customerId = DbText.of(event.customerid());
        }
        Instant at = event.time();
        if (payload instanceof ComplaintReceived r) {
            received(c, r, event);
        } else if (payload instanceof CaseAcknowledged a) {
            Instant when = a.acknowledgedAt() == null ? at : a.acknowledgedAt();
            met(
                    c,
                    Meeting.of(List.of(MeetingTokens.ACKNOWLEDGED, MeetingTokens.FIRST_OUTBOUND), when, event.id()),
                    event);
            progress.heard(c, definition(c), when, ProgressUpdates.ACKNOWLEDGED, event);
        } else if (payload instanceof InteractionRecorded i) {
            List<String> tokens = MeetingTokens.ofInteraction(
                    i.kind() == null ? null : i.kind().name(), i.direction() == Direction.OUTBOUND, i.responseStatus());
            if (!tokens.isEmpty()) {
                Instant when = i.occurredAt() == null ? at : i.occurredAt();
                met(c, new Meeting(tokens, when, i.expectedBy(), i.elements(), event.id()), event);
            }
            if (tokens.contains(MeetingTokens.FIRST_OUTBOUND)) {
                // An outbound contact or a written response: the customer heard from the firm.
                Instant when = i.occurredAt() == null ? at : i.occurredAt();
                String kind =
                        i.kind() == null ? Direction.OUTBOUND.name() : i.kind().name();
                progress.heard(c, definition(c), when, kind, event);
                notices.contacted(caseId, when, kind, event);
            }
        } else if (payload instanceof CaseStatusChanged s) {
            status(c, s.to(), at, event);
            if (s.to() != null && !ProgressUpdates.isOpen(s.to().name())) {
                settled(caseId, at);
            }
        } else if (payload instanceof CaseResolved r) {
            Instant when = r.resolvedAt() == null ? at : r.resolvedAt();
            status(c, CaseStatus.RESOLVED, when, event);
            met(c, Meeting.of(List.of(MeetingTokens.RESOLVED), when, event.id()), event);
            ProfileDefinition def = definition(c);
            if (def.followup() != null) {
                followups.schedule(c, def.calendar(), def.followup(), when, event);
            }
            settled(caseId, when);
        } else if (payload instanceof CaseReopened) {
            status(c, CaseStatus.REOPENED, at, event);
            followups.cancelOpen(caseId);
            // The case is no longer resolved: a later reclassification must not count that resolution.
            CaseMeeting.forget(caseId, UNDONE_BY_REOPENING);
            deadlines.reopened(c, definition(c), at);
            progress.start(c, definition(c), at, ProgressUpdates.REOPENED);
        } else if (payload instanceof CaseReclassified r) {
            reclassified(c, r, event);
        } else if (payload instanceof CaseClosed) {
            status(c, CaseStatus.CLOSED, at, event);
            deadlines.cancelAll(c, at, event);
            settled(caseId, at);
        } else if (payload instanceof PromiseMade m) {
            promises.made(m);
        } else if (payload instanceof PromiseKept k) {
            promises.kept(k, event);
        } else if (payload instanceof EscalationRaised r && r.effectiveAction() == EscalationAction.HAND_OVER) {
            // A WATCH leaves the case with its owner, under the case's own deadlines: no response is due
            // from the watcher, so nothing is scheduled (an event without an action is a hand-over).
            ProfileDefinition def = definition(c);
            DeadlineSpec spec = new DeadlineSpec(
                    Deadlines.ESCALATION_RESPONSE,
                    new ClockSpec(ClockSpec.Type.BUSINESS_HOURS, null, false, config.escalationResponse(), null),
                    false,
                    List.of(0.5, 0.8),
                    true,
                    Deadlines.ESCALATION_ACKNOWLEDGED);
            deadlines.schedule(c, def.calendar(), spec, at, r.escalationId());
            // The customer is told their complaint has gone up (a hand-over only: CustomerNotices.calledFor).
            notices.suggest(c, r, def.calendar(), event);
        } else if (payload instanceof EscalationAcknowledged a) {
            deadlines.meetEscalation(c, a.escalationId(), at, event);
        } else if (payload instanceof EscalationResolved r) {
            deadlines.meetEscalation(c, r.escalationId(), at, event);
        }
    }

    /** The case was resolved or closed: no more progress updates, and notices not sent are moot. */
    private void settled(UUID caseId, Instant at) {
        progress.end(caseId, at);
        notices.end(caseId, at);
    }

    /** Records what happened (the first time of each token) and applies it to the case's deadlines. */
    private void met(CaseState c, Meeting m, CaseEvent event) {
        CaseMeeting.record(c.caseId, m);
        deadlines.meet(c, m, event);
    }

    /**
     * A new profile: the case's deadlines are computed again from its original receipt under the
     * new profile's current version (docs/followup.md, "Reclassification"). The same profile (only
     * product or category changed) changes nothing here.
     */
    private void reclassified(CaseState c, CaseReclassified r, CaseEvent event) {
        if (r.profile() == null || r.profile().isBlank() || r.profile().equals(c.profile)) {
            return;
        }
        if (c.receivedAt == null) {
            Log.warnf(
                    "case %s: reclassified to %s before its complaint.received arrived; ignored",
                    c.caseId, r.profile());
            return;
        }
        ProfileVersion profile = profiles.current(r.profile());
        Log.infof(
                "case %s: profile %s version %d -> %s version %d (%s)",
                c.caseId, c.profile, c.profileVersion, profile.name(), profile.version(), r.reason());
        deadlines.reclassified(c, profile, CaseMeeting.history(c.caseId), event);
        progress.reclassified(c, profile.definition(), event.time());
        if (CaseStatus.CLOSED.name().equals(c.status)) {
            deadlines.cancelAll(c, event.time(), event);
        }
    }

    private void received(CaseState c, ComplaintReceived r, CaseEvent event) {
        if (c.profile != null) {
            return;
        }
        String name = r.regulatoryProfile() == null || r.regulatoryProfile().isBlank()
                ? config.defaultProfile()
                : r.regulatoryProfile();
        ProfileVersion profile = profiles.current(name);
        c.profile = profile.name();
        c.profileVersion = profile.version();
        // The firm's receipt, which may be earlier than the day the complaint reached Redress
        // (registeredAt): every clock counts from it.
        c.receivedAt = r.receivedAt() == null ? event.time() : r.receivedAt();
        c.registeredAt = r.registeredAt() == null ? event.time() : r.registeredAt();
        c.status = r.status() == null ? CaseStatus.OPEN.name() : r.status().name();
        for (DeadlineSpec spec : profile.definition().deadlines()) {
            deadlines.schedule(c, profile.definition().calendar(), spec, c.receivedAt, null);
        }
        if (ProgressUpdates.isOpen(c.status)) {
            progress.received(c, profile.definition(), c.receivedAt);
        }
    }

    /** The profile version that applied at receipt; the default profile's current one for a case not yet received. */
    private ProfileDefinition definition(CaseState c) {
        if (c.profile == null) {
            return profiles.current(config.defaultProfile()).definition();
        }
        return profiles.version(c.profile, c.profileVersion).definition();
    }

    private void status(CaseState c, CaseStatus to, Instant at, CaseEvent event) {
        boolean wasPaused = c.pausedSince != null;
        boolean pause = to == CaseStatus.AWAITING_CUSTOMER;
        c.status = to.name();
        if (pause && !wasPaused) {
            c.pausedSince = at;
            deadlines.pause(c, at, event);
        } else if (!pause && wasPaused) {
            c.pausedSince = null;
            deadlines.resume(c, at);
        }
    }
}
