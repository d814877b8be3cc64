package redress.intake.abuse;

import java.util.UUID;

/**
 * What the response to a {@code CONVERSATION_ENDED} interaction says of the abuse report it filed:
 * its id, where to read it, and where to record the break the agent is offered.
 */
public record AbuseReportLink(UUID id, String status, boolean breakOffered, String href, String debrief) {

    static AbuseReportLink of(AbuseReport r) {
        String href = "/abuse-reports/" + r.id;
        return new AbuseReportLink(r.id, AbuseReportView.status(r), true, href, href + "/debrief");
    }
}
