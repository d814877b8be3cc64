package redress.intake.complaint;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.Outcome;
import redress.events.Severity;
import redress.intake.customer.CustomerView;
import redress.intake.watch.WatchView;

/** A case as the API shows it. */
public record ComplaintView(
        UUID id,
        String reference,
        CaseStatus status,
        Severity severity,
        EscalationLevel level,
        String assignee,
        CustomerView customer,
        Channel channel,
        String category,
        String product,
        String summary,
        String description,
        String regulatoryProfile,
        String externalReference,
        String submittedBy,
        /** The firm's receipt: what regulatory clocks count from. */
        Instant receivedAt,
        /** When intake-service was called; lists page by it. */
        Instant registeredAt,
        Instant acknowledgedAt,
        Instant resolvedAt,
        String resolution,
        /** The last resolution's outcome and root cause, the case's product group, and their taxonomy version. */
        Outcome outcome,
        String rootCause,
        String productGroup,
        Integer taxonomyVersion,
        Instant closedAt,
        int reopenCount,
        int missedPromises,
        Instant updatedAt,
        /** The customer's other complaints received before this one, newest first (null in lists). */
        List<EarlierComplaint> earlierComplaints,
        /** The redress ledger's totals per currency (null in lists; the lines: links.redress). */
        List<RedressTotal> redress,
        /** The open watches (issue 31): who watches the case from above while its owner keeps it (null in lists). */
        List<WatchView> watches,
        Map<String, String> links) {

    /** This view with the case's open watches. */
    public ComplaintView withWatches(List<WatchView> open) {
        return new ComplaintView(
                id,
                reference,
                status,
                severity,
                level,
                assignee,
                customer,
                channel,
                category,
                product,
                summary,
                description,
                regulatoryProfile,
                externalReference,
                submittedBy,
                receivedAt,
                registeredAt,
                acknowledgedAt,
                resolvedAt,
                resolution,
                outcome,
                rootCause,
                productGroup,
                taxonomyVersion,
                closedAt,
                reopenCount,
                missedPromises,
                updatedAt,
                earlierComplaints,
                redress,
                open,
                links);
    }

    public record EarlierComplaint(UUID id, String reference, CaseStatus status, Instant receivedAt, String href) {}

    /** @param customer the case's customer as {@link redress.intake.customer.CustomerKeys#view} shows it */
    public static ComplaintView of(Complaint c, CustomerView customer, List<EarlierComplaint> earlier) {
        return of(c, customer, earlier, null);
    }

    /** As above, with the case's redress totals (for a single case). */
    public static ComplaintView of(
            Complaint c, CustomerView customer, List<EarlierComplaint> earlier, List<RedressTotal> redress) {
        String self = "/complaints/" + c.id;
        return new ComplaintView(
                c.id,
                c.reference,
                c.status(),
                c.severity,
                c.level(),
                c.assignee(),
                customer,
                c.channel,
                c.category,
                c.product,
                c.summary,
                c.description,
                c.regulatoryProfile,
                c.externalReference,
                c.submittedBy,
                c.receivedAt(),
                c.registeredAt(),
                c.acknowledgedAt(),
                c.resolvedAt(),
                c.resolutionSummary(),
                c.decision().outcome(),
                c.decision().rootCause(),
                c.productGroup(),
                c.decision().taxonomyVersion(),
                c.closedAt(),
                c.reopenCount(),
                c.missedPromises(),
                c.updatedAt(),
                earlier,
                redress,
                null,
                Map.of(
                        "self",
                        self,
                        "interactions",
                        self + "/interactions",
                        "promises",
                        self + "/promises",
                        "redress",
                        self + "/redress",
                        "customerComplaints",
                        "/customers/" + encode(c.customerId) + "/complaints"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
