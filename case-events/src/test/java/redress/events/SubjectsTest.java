package redress.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import redress.events.payload.AuditAccessed;
import redress.events.payload.CaseClosed;
import redress.events.payload.CasePayload;

class SubjectsTest {

    static final UUID CASE = UUID.fromString("0b7f1f5e-2d7c-4d8e-9c61-2f7c3d9a1e01");
    static final UUID OTHER = UUID.fromString("5a1c9e4b-7d3f-4a7e-8b2c-1d9e0f6a7b8c");
    static final Actor AGENT = new Actor(ActorType.AGENT, "agent-7");

    static CaseEvent event(CasePayload payload) {
        return CaseEvent.create(
                "/intake-service", AGENT, "C-1", payload, null, null, Instant.parse("2026-11-23T10:15:30Z"));
    }

    /** The same event under another subject (a producer's mistake). */
    static CaseEvent withSubject(CaseEvent e, String subject) {
        return new CaseEvent(
                e.id(),
                e.type(),
                e.source(),
                subject,
                e.time(),
                e.dataschema(),
                e.correlationid(),
                e.causationid(),
                e.actortype(),
                e.actorid(),
                e.customerid(),
                e.data());
    }

    @Test
    void anEventAboutItsSubjectsCaseGivesThatCase() {
        CaseClosed closed = new CaseClosed(CASE, "CMP-2026-000042", "done");
        assertEquals(CASE, Subjects.requireCaseSubject(event(closed), closed));
    }

    @Test
    void aPayloadNamingAnotherCaseIsRefusedNamingBoth() {
        CaseClosed closed = new CaseClosed(CASE, "CMP-2026-000042", "done");
        CaseEvent e = withSubject(event(closed), OTHER.toString());
        IllegalArgumentException x =
                assertThrows(IllegalArgumentException.class, () -> Subjects.requireCaseSubject(e, closed));
        assertTrue(x.getMessage().contains(e.id().toString()), x.getMessage());
        assertTrue(x.getMessage().contains("names case " + CASE), x.getMessage());
        assertTrue(x.getMessage().contains("its subject is " + OTHER), x.getMessage());
    }

    @Test
    void aPayloadNamingNoCaseIsRefused() {
        AuditAccessed acrossTheLog = new AuditAccessed(null, null, "export", null, 3L, 1L, 3L, null, Instant.EPOCH);
        CaseEvent e = event(acrossTheLog);
        assertEquals(AuditAccessed.LOG_SUBJECT, e.subject());
        assertThrows(IllegalArgumentException.class, () -> Subjects.requireCaseSubject(e, acrossTheLog));
    }

    @Test
    void aSubjectThatIsNotACaseIdIsRefused() {
        CaseClosed closed = new CaseClosed(CASE, "CMP-2026-000042", "done");
        CaseEvent e = withSubject(event(closed), "not-a-uuid");
        assertThrows(IllegalArgumentException.class, () -> Subjects.requireCaseSubject(e, closed));
    }
}
