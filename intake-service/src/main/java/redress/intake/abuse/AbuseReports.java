package redress.intake.abuse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.Actor;
import redress.events.CaseEvent;
import redress.events.CustomerTone;
import redress.events.InteractionKind;
import redress.events.payload.AbuseReportAcknowledged;
import redress.events.payload.AbuseReported;
import redress.events.payload.AgentDebriefed;
import redress.intake.complaint.Complaint;
import redress.intake.interaction.Interaction;
import redress.support.outbox.EventEmitter;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Issue 31, abuse is always reported: seed 001's "If they become abusive or threatening, end the
 * conversation and report it to your supervisor". Ending a conversation ({@code CONVERSATION_ENDED})
 * whose last customer contact was {@link #REPORTED_TONES ABUSIVE or THREATENING} files a report in
 * the interaction's transaction, whatever the case's level, and the case does not move for it. A
 * supervisor other than the agent who ended the conversation acknowledges it, once (409 after);
 * the break the agent is offered is recorded once as a debrief, by that agent or a supervisor.
 * Each step is a row change and an event through the outbox in one transaction; a refused one
 * writes nothing.
 */
@ApplicationScoped
public class AbuseReports {

    /** The tones whose ended conversation is reported. */
    public static final Set<CustomerTone> REPORTED_TONES = EnumSet.of(CustomerTone.ABUSIVE, CustomerTone.THREATENING);

    private final EventEmitter events;
    private final Clock clock;

    public AbuseReports(EventEmitter events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * Files the report of the conversation {@code ended} closes, if its last customer contact was
     * abusive or threatening; null otherwise (and for any other kind of interaction). The
     * conversation is the case's interactions after the previous {@code CONVERSATION_ENDED} (or
     * since the case was received), up to and including {@code ended}, which is already stored.
     * Runs in the caller's transaction, the case locked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public AbuseReportLink fileIfAbusive(Complaint c, Interaction ended, Actor actor, CaseEvent cause) {
        if (ended.kind != InteractionKind.CONVERSATION_ENDED) {
            return null;
        }
        List<Interaction> conversation = new ArrayList<>();
        for (Interaction i : Interaction.ofCase(c.id)) {
            if (i.id.equals(ended.id)) {
                break;
            }
            if (i.kind == InteractionKind.CONVERSATION_ENDED) {
                conversation.clear();
            } else {
                conversation.add(i);
            }
        }
        conversation.add(ended);
        CustomerTone tone = null;
        for (Interaction i : conversation) {
            if (i.kind == InteractionKind.CUSTOMER_CONTACT && i.tone != null) {
                tone = i.tone;
            }
        }
        if (tone == null || !REPORTED_TONES.contains(tone)) {
            return null;
        }
        AbuseReport r = new AbuseReport();
        r.id = UUID.randomUUID();
        r.complaintId = c.id;
        r.interactionId = ended.id;
        r.tone = tone;
        r.endedBy = actor.id();
        r.level = c.level();
        r.recordIds = conversation.stream().map(i -> i.id).toArray(UUID[]::new);
        r.reportedAt = ended.occurredAt;
        r.persist();
        events.emit(
                actor,
                c.customerId,
                new AbuseReported(
                        c.id,
                        c.reference,
                        r.id,
                        ended.id,
                        tone,
                        r.endedBy,
                        r.level,
                        List.of(r.recordIds),
                        true,
                        r.reportedAt),
                cause);
        return AbuseReportLink.of(r);
    }

    /**
     * A supervisor acknowledges the report: 404 unknown, 403 when the supervisor is the one who
     * ended the conversation (someone else reads it), 409 when it was acknowledged already.
     */
    @Transactional
    public AbuseReport acknowledge(UUID id, Actor supervisor) {
        AbuseReport r = existingLocked(id);
        if (r.endedBy.equals(supervisor.id())) {
            throw forbidden("abuse report " + id + " was filed by " + supervisor.id()
                    + ", who ended the conversation: another supervisor acknowledges it");
        }
        if (r.acknowledged()) {
            throw ProblemException.conflict(
                    "already-acknowledged",
                    "abuse report " + id + " was acknowledged by " + r.acknowledgedBy + " at " + r.acknowledgedAt);
        }
        Instant now = Clocks.now(clock);
        r.acknowledgedBy = supervisor.id();
        r.acknowledgedAt = now;
        Complaint c = Complaint.existing(r.complaintId);
        events.emit(
                supervisor,
                c.customerId,
                new AbuseReportAcknowledged(c.id, c.reference, r.id, r.endedBy, supervisor.id(), now),
                null);
        return r;
    }

    /**
     * Records the agent's debrief: the break offered was taken or declined. 404 unknown, 403 when
     * the caller is neither the agent who ended the conversation nor a supervisor, 400 minutes on a
     * declined break, 409 when it was recorded already.
     */
    @Transactional
    public AbuseReport debrief(UUID id, DebriefAgent body, Actor caller, boolean supervisor) {
        boolean taken = body.breakTaken();
        if (!taken && body.breakMinutes() != null) {
            throw ProblemException.invalidField("breakMinutes", "applies only to a break taken (breakTaken true)");
        }
        AbuseReport r = existingLocked(id);
        if (!supervisor && !r.endedBy.equals(caller.id())) {
            throw forbidden(
                    "abuse report " + id + " is " + r.endedBy + "'s: only they or a supervisor record their debrief");
        }
        if (r.debriefed()) {
            throw ProblemException.conflict(
                    "already-debriefed",
                    "the debrief of abuse report " + id + " was recorded by " + r.debriefedBy + " at " + r.debriefedAt);
        }
        Instant now = Clocks.now(clock);
        String note = body.note() == null || body.note().isBlank()
                ? null
                : body.note().trim();
        r.debriefedBy = caller.id();
        r.debriefedAt = now;
        r.breakTaken = taken;
        r.breakMinutes = taken ? body.breakMinutes() : null;
        r.debriefNote = note;
        Complaint c = Complaint.existing(r.complaintId);
        events.emit(
                caller,
                c.customerId,
                new AgentDebriefed(
                        c.id, c.reference, r.id, r.endedBy, caller.id(), taken, r.breakMinutes, note != null, now),
                null);
        return r;
    }

    /** 404 unless the report exists; 403 when {@code onlyOf} is set and did not file it. */
    public AbuseReport visible(UUID id, String onlyOf) {
        AbuseReport r = AbuseReport.findById(id);
        if (r == null) {
            throw ProblemException.notFound("abuse report", id);
        }
        if (onlyOf != null && !onlyOf.equals(r.endedBy)) {
            throw forbidden("abuse report " + id + " was filed by another agent: an agent reads their own reports");
        }
        return r;
    }

    public List<AbuseReport> list(Boolean acknowledged, String onlyOf, UUID caseId) {
        return AbuseReport.matching(acknowledged, onlyOf, caseId);
    }

    private static AbuseReport existingLocked(UUID id) {
        AbuseReport r = AbuseReport.lockedForUpdate(id);
        if (r == null) {
            throw ProblemException.notFound("abuse report", id);
        }
        return r;
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", detail));
    }
}
