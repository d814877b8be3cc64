package redress.escalation.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import redress.escalation.escalate.Escalation;
import redress.escalation.projection.CaseProjection;
import redress.escalation.projection.CaseProjectionStore;
import redress.events.EscalationLevel;
import redress.events.payload.EscalationAcknowledged;
import redress.events.payload.EscalationResolved;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;
import redress.support.paging.Cursor;
import redress.support.paging.Page;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * The escalation queue: OPEN → ACKNOWLEDGED → RESOLVED (or OPEN → RESOLVED), each step by a person,
 * each with its event in the same transaction. A resolved escalation no longer holds the case's
 * effective level up.
 */
@ApplicationScoped
public class EscalationQueue {

    private final EventEmitter emitter;
    private final Callers callers;
    private final Clock clock;
    private final LevelAccess access;
    private final CaseProjectionStore projections;

    public EscalationQueue(
            EventEmitter emitter, Callers callers, Clock clock, LevelAccess access, CaseProjectionStore projections) {
        this.emitter = emitter;
        this.callers = callers;
        this.clock = clock;
        this.access = access;
        this.projections = projections;
    }

    /** Oldest first, keyset-paged on (raised_at, id). */
    public Page<EscalationView> list(String status, String level, String after, int limit) {
        String s =
                status == null || status.isBlank() ? null : oneOf("status", status, "OPEN", "ACKNOWLEDGED", "RESOLVED");
        String l =
                level == null || level.isBlank() ? null : oneOf("level", level, "TEAM_LEAD", "SUPERVISOR", "MANAGER");
        String filters = "status=" + (s == null ? "" : s) + "&level=" + (l == null ? "" : l);
        StringBuilder q = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        if (s != null) {
            params.add(s);
            q.append(" and status = ?").append(params.size());
        }
        if (l != null) {
            params.add(l);
            q.append(" and level = ?").append(params.size());
        }
        if (after != null) {
            List<String> key = Cursor.decode(after, filters, 2);
            try {
                params.add(Instant.parse(key.get(0)));
                q.append(" and (raisedAt > ?").append(params.size());
                params.add(UUID.fromString(key.get(1)));
                q.append(" or (raisedAt = ?")
                        .append(params.size() - 1)
                        .append(" and id > ?")
                        .append(params.size())
                        .append("))");
            } catch (RuntimeException e) {
                throw ProblemException.invalidField(Cursor.PARAM, "is not a cursor this service issued");
            }
        }
        q.append(" order by raisedAt, id");
        List<EscalationView> rows =
                Escalation.<Escalation>find(q.toString(), params.toArray()).page(0, limit + 1).list().stream()
                        .map(EscalationView::of)
                        .toList();
        return Page.keyset(rows, limit, filters, v -> new String[] {v.raisedAt().toString(), v.id().toString()});
    }

    public List<EscalationView> ofCase(UUID caseId) {
        return Escalation.ofCase(caseId).stream().map(EscalationView::of).toList();
    }

    @Transactional
    public EscalationView acknowledge(UUID id) {
        Escalation e = locked(id);
        if (!Escalation.OPEN.equals(e.status)) {
            throw new ProblemException(ProblemException.conflict(
                            "escalation-not-open",
                            "escalation " + id + " is " + e.status + "; only an OPEN one can be acknowledged")
                    .problem()
                    .withCurrentStatus(e.status));
        }
        e.status = Escalation.ACKNOWLEDGED;
        e.acknowledgedBy = callers.subject();
        e.acknowledgedAt = Clocks.now(clock);
        emitter.emit(
                callers.agent(),
                customerOf(e),
                new EscalationAcknowledged(
                        e.id, e.caseId, e.reference, EscalationLevel.valueOf(e.level), e.acknowledgedBy),
                null);
        return EscalationView.of(e);
    }

    @Transactional
    public EscalationView resolve(UUID id, String outcome) {
        Escalation e = locked(id);
        if (Escalation.RESOLVED.equals(e.status)) {
            throw new ProblemException(
                    ProblemException.conflict("escalation-resolved", "escalation " + id + " is already RESOLVED")
                            .problem()
                            .withCurrentStatus(e.status));
        }
        e.status = Escalation.RESOLVED;
        e.resolvedBy = callers.subject();
        e.resolvedAt = Clocks.now(clock);
        e.outcome = outcome == null || outcome.isBlank() ? null : outcome.strip();
        emitter.emit(
                callers.agent(),
                customerOf(e),
                new EscalationResolved(e.id, e.caseId, e.reference, EscalationLevel.valueOf(e.level), e.outcome),
                null);
        return EscalationView.of(e);
    }

    /** The escalation, locked, once the caller may act on its level: 404 before 403 before 409. */
    private Escalation locked(UUID id) {
        Escalation e = Escalation.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ProblemException.notFound("escalation", id);
        }
        access.check(id.toString(), EscalationLevel.valueOf(e.level));
        return e;
    }

    private String customerOf(Escalation e) {
        CaseProjection p = projections.find(e.caseId);
        return p == null ? null : p.customerId;
    }

    private static String oneOf(String field, String raw, String... allowed) {
        String v = raw.trim().toUpperCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw ProblemException.invalidField(field, "must be one of " + String.join(", ", allowed));
    }
}
