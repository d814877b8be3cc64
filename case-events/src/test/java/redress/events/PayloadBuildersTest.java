package redress.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.events.payload.EscalationRaised;

/** The builders of the long payloads set each component by its name, and leave the rest null (or 0). */
class PayloadBuildersTest {

    private static final UUID ID = UUID.randomUUID();
    private static final UUID CASE = UUID.randomUUID();
    private static final Instant T = Instant.parse("2026-03-02T10:15:30.123456Z");

    @Test
    void aComplaintReceivedBuiltByNameIsTheOneBuiltByPosition() {
        Customer customer = new Customer("C-1", "Ada", "ada@example.org", "+44");
        assertEquals(
                new ComplaintReceived(
                        CASE,
                        "CMP-1",
                        customer,
                        Channel.EMAIL,
                        "billing",
                        "card",
                        "summary",
                        "description",
                        Severity.HIGH,
                        EscalationLevel.AGENT,
                        CaseStatus.OPEN,
                        "DEFAULT",
                        "EXT-1",
                        T.minusSeconds(60),
                        3,
                        T),
                ComplaintReceived.builder()
                        .caseId(CASE)
                        .reference("CMP-1")
                        .customer(customer)
                        .channel(Channel.EMAIL)
                        .category("billing")
                        .product("card")
                        .summary("summary")
                        .description("description")
                        .severity(Severity.HIGH)
                        .level(EscalationLevel.AGENT)
                        .status(CaseStatus.OPEN)
                        .regulatoryProfile("DEFAULT")
                        .externalReference("EXT-1")
                        .receivedAt(T.minusSeconds(60))
                        .earlierComplaints(3)
                        .registeredAt(T)
                        .build());
        assertEquals(
                new ComplaintReceived(
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, 0, null),
                ComplaintReceived.builder().build());
    }

    @Test
    void anEscalationRaisedBuiltByNameIsTheOneBuiltByPosition() {
        assertEquals(
                new EscalationRaised(
                        ID,
                        CASE,
                        "CMP-1",
                        EscalationLevel.TEAM_LEAD,
                        EscalationLevel.AGENT,
                        Severity.HIGH,
                        "reason",
                        "rule",
                        2,
                        "briefing",
                        T,
                        EscalationAction.WATCH),
                EscalationRaised.builder()
                        .escalationId(ID)
                        .caseId(CASE)
                        .reference("CMP-1")
                        .level(EscalationLevel.TEAM_LEAD)
                        .previousLevel(EscalationLevel.AGENT)
                        .severity(Severity.HIGH)
                        .reason("reason")
                        .ruleId("rule")
                        .ruleVersion(2)
                        .briefing("briefing")
                        .responseDueAt(T)
                        .action(EscalationAction.WATCH)
                        .build());
        assertEquals(
                new EscalationRaised(null, null, null, null, null, null, null, null, null, null, null, null),
                EscalationRaised.builder().build());
    }
}
