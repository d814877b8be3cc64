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

    @Test
    void anErasureSaysWhoseDataWentAndWhy() throws Exception {
        var d = EventCodec.mapper()
                .readTree("{\"customerId\":\"C-1\",\"keyId\":\"C-1:1\",\"trigger\":\"REQUEST\","
                        + "\"reason\":\"GDPR Art. 17\"}");
        assertEquals(
                "Customer C-1: name and contact erased (on request, key C-1:1 destroyed): GDPR Art. 17",
                EntryView.describe("redress.customer.erased", d));
    }
}
