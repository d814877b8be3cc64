package redress.localrun.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mix's work on each accepted complaint: what a complaint team does with a case, through the
 * public REST contract, as the roles the contract asks for (docs/security.md). An agent (one of
 * the team, by the complaint's number) opens the case, acknowledges it (which also starts work:
 * {@code IN_PROGRESS}), offers a solution, resolves it with a decision and closes it. After every
 * fourth complaint an auditor reads, once, the history of a case accepted a few of each client's
 * complaints earlier ({@value #AUDIT_ITERATIONS} times the clients): a 404 there (its events have
 * not reached the log yet) is counted like any other refusal, never waited for. Each case's steps
 * stop at its first refused request, so that one refusal is not counted again as the refusals it
 * causes.
 */
final class CaseLife implements Submitters.CaseWork {

    /** One complaint in this many is followed by an auditor's read. */
    private static final int AUDIT_EVERY = 4;

    /** How many of its own complaints before the current one a client posted the case its auditor reads. */
    private static final int AUDIT_ITERATIONS = 4;

    /** The mix as the report states it. */
    static final String DESCRIPTION = "after each complaint, an agent opens the case (GET), records two"
            + " interactions (ACKNOWLEDGEMENT, SOLUTION_OFFERED), resolves it (UPHELD, with root cause and"
            + " product group) and closes it (POST /status CLOSED); after one complaint in " + AUDIT_EVERY
            + ", an auditor reads the history of the case accepted " + AUDIT_ITERATIONS
            + " complaints per client earlier (GET /audit/cases/{id}, once; a 404 is counted, not retried)";

    static final String OPEN = "GET /complaints/{id} (agent)";
    static final String INTERACTION = "POST /complaints/{id}/interactions (agent)";
    static final String RESOLVE = "POST /complaints/{id}/resolution (agent)";
    static final String CLOSE = "POST /complaints/{id}/status CLOSED (agent)";
    static final String AUDIT = "GET /audit/cases/{id} (auditor)";

    private static final Map<String, String> ACKNOWLEDGEMENT = Map.of(
            "kind",
            "ACKNOWLEDGEMENT",
            "text",
            "We have your complaint about the double charge and are looking into it");
    private static final Map<String, String> SOLUTION_OFFERED =
            Map.of("kind", "SOLUTION_OFFERED", "text", "We will refund the second debit within five working days");
    private static final Map<String, String> RESOLUTION = Map.of(
            "summary", "The second debit was refunded and the customer told why it happened",
            "outcome", "UPHELD",
            "rootCause", "TRANSACTION_ERROR",
            "productGroup", "CURRENT_ACCOUNT");
    private static final Map<String, String> CLOSING =
            Map.of("status", "CLOSED", "reason", "the customer accepted the refund");

    private final String intake;
    private final String audit;
    private final List<String> agents;
    private final List<String> auditors;
    private final HttpClient http = Requests.http();
    private final int auditDistance;
    private final AtomicReferenceArray<String> recent;

    /**
     * @param intake   intake-service's base URL
     * @param audit    audit-service's base URL
     * @param agents   the team's tokens with the role {@code agent}
     * @param auditors tokens with the role {@code auditor}
     * @param clients  how many clients post complaints (the audited case is {@value #AUDIT_ITERATIONS}
     *                 times as many complaints old)
     */
    CaseLife(String intake, String audit, List<String> agents, List<String> auditors, int clients) {
        this.auditDistance = AUDIT_ITERATIONS * clients;
        this.recent = new AtomicReferenceArray<>(4 * auditDistance);
        this.intake = intake;
        this.audit = audit;
        this.agents = List.copyOf(agents);
        this.auditors = List.copyOf(auditors);
    }

    @Override
    public void work(long n, String caseId, Requests requests) throws InterruptedException {
        recent.set((int) (n % recent.length()), caseId);
        handle(agents.get((int) (n % agents.size())), intake + "/complaints/" + caseId, requests);
        if (n % AUDIT_EVERY == 0 && n > auditDistance) {
            String earlier = recent.get((int) ((n - auditDistance) % recent.length()));
            if (earlier != null) {
                get(requests, AUDIT, audit + "/audit/cases/" + earlier, auditors.get((int) (n % auditors.size())));
            }
        }
    }

    /** The case at {@code path} from opening to closing, as one agent; stops at the first refusal. */
    private void handle(String agent, String path, Requests requests) throws InterruptedException {
        // A refusal is counted in requests; the steps after it, which it would refuse too, are not sent.
        if (get(requests, OPEN, path, agent)
                && post(requests, INTERACTION, 201, path + "/interactions", agent, ACKNOWLEDGEMENT)
                && post(requests, INTERACTION, 201, path + "/interactions", agent, SOLUTION_OFFERED)
                && post(requests, RESOLVE, 200, path + "/resolution", agent, RESOLUTION)) {
            post(requests, CLOSE, 200, path + "/status", agent, CLOSING);
        }
    }

    private boolean get(Requests requests, String kind, String url, String token) throws InterruptedException {
        return requests.send(
                        http,
                        kind,
                        200,
                        Requests.signed(URI.create(url), token).GET().build())
                .isPresent();
    }

    private boolean post(Requests requests, String kind, int expected, String url, String token, Object body)
            throws InterruptedException {
        return requests.send(
                        http,
                        kind,
                        expected,
                        Requests.postJson(URI.create(url), token, body).build())
                .isPresent();
    }
}
