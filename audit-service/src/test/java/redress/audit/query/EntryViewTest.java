package redress.audit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import redress.events.EventCodec;

class EntryViewTest {

    @Test
    void aFollowupWithoutSatisfiedDoesNotClaimTheCustomerWasSatisfied() throws Exception {
        var d = EventCodec.mapper().readTree("{\"kind\":\"SATISFACTION\",\"feedback\":\"no answer\"}");
        assertEquals("Follow-up SATISFACTION: customer satisfaction not recorded (no answer)",
                EntryView.describe("redress.followup.completed", d));
        var yes = EventCodec.mapper().readTree("{\"kind\":\"SATISFACTION\",\"satisfied\":true}");
        assertEquals("Follow-up SATISFACTION: customer satisfied", EntryView.describe("redress.followup.completed", yes));
        var no = EventCodec.mapper().readTree("{\"kind\":\"SATISFACTION\",\"satisfied\":false}");
        assertEquals("Follow-up SATISFACTION: customer not satisfied", EntryView.describe("redress.followup.completed", no));
    }
}
