package redress.audit.access;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.CaseEvent;
import redress.events.payload.AuditAccessed;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;
import redress.support.time.Clocks;

/**
 * Records an auditor's read of the log: one {@code redress.audit.accessed} event per answered
 * request, written to the outbox in a transaction of its own (one row), published on
 * {@code audit.access} and from there appended to the log like every other event. The auditor is
 * the actor ({@code agent}, the token's subject). A read whose record cannot be written is not
 * answered: the endpoint fails rather than let an unrecorded read through.
 */
@ApplicationScoped
public class AccessRecorder {

    private final EventEmitter emitter;
    private final Callers callers;
    private final Clock clock;

    public AccessRecorder(EventEmitter emitter, Callers callers, Clock clock) {
        this.emitter = emitter;
        this.callers = callers;
        this.clock = clock;
    }

    @Transactional
    public CaseEvent record(AuditorRead read) {
        return emitter.emit(
                callers.agent(),
                read.customerId(),
                new AuditAccessed(
                        read.caseId(),
                        read.reference(),
                        read.operation(),
                        read.parameters(),
                        read.entries(),
                        read.firstSeq(),
                        read.lastSeq(),
                        read.verified(),
                        Clocks.now(clock)),
                null);
    }
}
