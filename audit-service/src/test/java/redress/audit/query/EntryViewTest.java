package redress.audit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import redress.events.EventCodec;

class EntryViewTest {

    @Test
    void aFollowupWithoutSatisfiedDoesNotClaimTheCustomerWasSatisfied() throws Exception {
        var d = EventCodec.mapper().readTree("{\"kind\":\"SATISFACTION\",\"feedback\":\"no answer\"}");
        assertEquals(
                "Follow-up SATISFACTION: customer satisfaction not recorded (no answer)",
                EntryView.describe("redress.followup.completed", d));
        var yes = EventCodec.mapper().readTree("{\"kind\":\"SATISFACTION\",\"satisfied\":true}");
        assertEquals(
                "Follow-up SATISFACTION: customer satisfied", EntryView.describe("redress.followup.completed", yes));
        var no = EventCodec.mapper().readTree("{\"kind\":\"SATISFACTION\",\"satisfied\":false}");
        assertEquals(
                "Follow-up SATISFACTION: customer not satisfied", EntryView.describe("redress.followup.completed", no));
    }

    @Test
    void aLexiconVersionSaysHowManyEntriesAndWhy() throws Exception {
        var d = EventCodec.mapper()
                .readTree("{\"version\":2,\"language\":\"en\",\"entries\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
                        + "\"reason\":\"plain words\"}");
        assertEquals(
                "Coaching lexicon version 2 (en): 2 entries (plain words)",
                EntryView.describe("redress.coaching.lexicon-changed", d));
    }

    /** Issue 31: an abuse report, its acknowledgement and the agent's debrief read in words. */
    @Test
    void anAbuseReportSaysWhoEndedTheConversationAndThatTheCaseStayed() throws Exception {
        var d = EventCodec.mapper()
                .readTree("{\"endedBy\":\"ana\",\"tone\":\"THREATENING\",\"level\":\"MANAGER\","
                        + "\"record\":[\"a\",\"b\",\"c\"],\"breakOffered\":true}");
        assertEquals(
                "Abuse reported to supervisors: conversation ended by ana, customer THREATENING, case at MANAGER"
                        + " (not moved); record of 3 interactions; break offered",
                EntryView.describe("redress.abuse.reported", d));
        assertEquals(
                "Abuse report acknowledged by sam",
                EntryView.describe(
                        "redress.abuse.acknowledged", EventCodec.mapper().readTree("{\"acknowledgedBy\":\"sam\"}")));
        assertEquals(
                "Debrief of ana: break taken (15 minutes), with a note",
                EntryView.describe(
                        "redress.agent.debriefed",
                        EventCodec.mapper()
                                .readTree("{\"agentId\":\"ana\",\"breakTaken\":true,\"breakMinutes\":15,"
                                        + "\"withNote\":true}")));
        assertEquals(
                "Debrief of ana: break declined",
                EntryView.describe(
                        "redress.agent.debriefed",
                        EventCodec.mapper().readTree("{\"agentId\":\"ana\",\"breakTaken\":false}")));
    }

    @Test
    void anErasureSaysWhoseDataWentAndWhy() throws Exception {
        var d = EventCodec.mapper()
                .readTree("{\"customerId\":\"C-1\",\"keyId\":\"C-1:1\",\"trigger\":\"REQUEST\","
                        + "\"reason\":\"GDPR Art. 17\"}");
        assertEquals(
                "Customer C-1: name and contact erased (on request, key C-1:1 destroyed): GDPR Art. 17",
                EntryView.describe("redress.customer.erased", d));
    }

    @Test
    void aRedressLineRecordedLateSaysWhenItTookPlace() throws Exception {
        String line = "{\"stage\":\"PAID\",\"kind\":\"REFUND\",\"amountMinor\":12550,\"currency\":\"GBP\","
                + "\"recordedAt\":\"2026-07-01T08:00:00Z\"";
        assertEquals(
                "Redress PAID: 12550 minor units of GBP (REFUND), took place 2026-06-30T15:00:00Z",
                EntryView.describe(
                        "redress.redress.recorded",
                        EventCodec.mapper().readTree(line + ",\"occurredAt\":\"2026-06-30T15:00:00Z\"}")));
        assertEquals(
                "Redress PAID: 12550 minor units of GBP (REFUND)",
                EntryView.describe(
                        "redress.redress.recorded",
                        EventCodec.mapper().readTree(line + ",\"occurredAt\":\"2026-07-01T08:00:00Z\"}")));
        assertEquals(
                "Redress PAID: 12550 minor units of GBP (REFUND)",
                EntryView.describe(
                        "redress.redress.recorded", EventCodec.mapper().readTree(line + "}")));
    }
}
