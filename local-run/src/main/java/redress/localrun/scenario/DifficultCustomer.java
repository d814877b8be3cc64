package redress.localrun.scenario;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The seeds' difficult customer, played through the public REST APIs of the four services with a
 * token per role: the one scenario the local run's demo shows and the end-to-end tests assert on.
 *
 * <p>An upset customer complains (profile {@code DEMO}: seconds, not days), and a second, quiet
 * customer's complaint is acknowledged and left waiting on the customer. The main complaint is
 * acknowledged and apologised for, and the agent takes the case. The customer calls again, angry:
 * {@code tone-rising} adds a TEAM_LEAD watch ({@code WATCH}) and the agent keeps the case at AGENT.
 * The agent's blaming reply gets language coaching findings (blame, accusation) with suggestions and,
 * the customer being angry, de-escalation suggestions; a better reply follows. A solution is offered
 * and rejected twice: {@code solutions-rejected-twice} hands the case over to TEAM_LEAD with a
 * briefing, which ends the watch. The customer turns abusive ({@code tone-rising} holds, but the case
 * is at TEAM_LEAD already: nothing new) and gets a boundary warning; the conversation is ended, which
 * files an abuse report to the supervisors and makes {@code conversation-ended-after-warning} hand
 * the case over to SUPERVISOR with the record. followup-service suggests a customer notice for each
 * hand-over, and the agent's next email sends the two so far; a supervisor acknowledges the abuse report and the
 * agent's break is recorded as a debrief. A demand for a manager alone changes nothing. A promise is
 * made, due {@link #PROMISE_DELAY} ahead, and missed: {@code promise-missed} goes one up, to MANAGER.
 * The customer threatens the agent and the conversation is ended: the abuse report reaches the
 * supervisors at MANAGER too, and the case does not move. The case is resolved and given a post-case
 * review; the satisfaction follow-up (due 5 s after the resolution on DEMO) finds the customer
 * dissatisfied and intake reopens the case ({@code dissatisfied-followup} targets SUPERVISOR, below
 * MANAGER: nothing new). The quiet customer, who has heard nothing for 45 s (DEMO's progress-update
 * cadence), gets a progress-update reminder due, which the agent's email answers. Finally the
 * auditor's history of the case holds every event the scenario caused, and {@code GET /audit/verify}
 * holds.
 *
 * <p>Time-based escalations are kept out on purpose, so that every run, crashed or not, ends with the
 * same history: the acknowledgement comes at once (DEMO: 20 s; it also meets the 30 s first response),
 * the case waits on the customer (AWAITING_CUSTOMER pauses the pausable 40 s final response, whose
 * warning would escalate) from the first offer to the resolution, and every escalation is acknowledged
 * as soon as it appears (its response deadline, 30 s in the local run, warns at half-way).
 *
 * <p>Every wait has a deadline; the whole scenario takes about 50 s, most of it waiting for the quiet
 * case's reminder, and must finish within two minutes. A step that does not see what it expects stops
 * the scenario: {@link Result#failure()}. Plain Java, {@code java.net.http} and Jackson: no test
 * library.
 */
public final class DifficultCustomer {

    /** The steps, in order; {@link Hooks} are called with these names. */
    public static final String COMPLAINT = "complaint",
            ACKNOWLEDGED = "acknowledged",
            TONE_RISES = "tone-rises",
            BLAMING_REPLY = "blaming-reply",
            SOLUTIONS_REJECTED = "solutions-rejected",
            ABUSIVE = "abusive",
            CONVERSATION_ENDED = "conversation-ended",
            MANAGER_DEMANDED = "manager-demanded",
            PROMISE_MISSED = "promise-missed",
            THREATENED = "threatened",
            RESOLVED = "resolved",
            FOLLOWUP_DISSATISFIED = "followup-dissatisfied",
            KEPT_INFORMED = "kept-informed",
            AUDITED = "audited";

    public static final List<String> STEPS = List.of(
            COMPLAINT,
            ACKNOWLEDGED,
            TONE_RISES,
            BLAMING_REPLY,
            SOLUTIONS_REJECTED,
            ABUSIVE,
            CONVERSATION_ENDED,
            MANAGER_DEMANDED,
            PROMISE_MISSED,
            THREATENED,
            RESOLVED,
            FOLLOWUP_DISSATISFIED,
            KEPT_INFORMED,
            AUDITED);

    /** How far ahead the promise is due. */
    public static final Duration PROMISE_DELAY = Duration.ofSeconds(5);

    /** The longest any one wait for a consequence takes before the step fails. */
    static final Duration WAIT = Duration.ofSeconds(30);

    /** How long the scenario watches for something that must not happen (the manager demand). */
    static final Duration QUIET = Duration.ofSeconds(3);

    /**
     * The escalations the scenario expects, in order: level, rule, action and how each ends (the watch
     * is resolved when the case is handed over to its level; every hand-over is acknowledged).
     */
    public static final List<List<String>> ESCALATION_LADDER = List.of(
            List.of("TEAM_LEAD", "tone-rising", "WATCH", "RESOLVED"),
            List.of("TEAM_LEAD", "solutions-rejected-twice", "HAND_OVER", "ACKNOWLEDGED"),
            List.of("SUPERVISOR", "conversation-ended-after-warning", "HAND_OVER", "ACKNOWLEDGED"),
            List.of("MANAGER", "promise-missed", "HAND_OVER", "ACKNOWLEDGED"));

    /** The four services' base URLs, e.g. {@code http://127.0.0.1:8081}, without a trailing slash. */
    public record Endpoints(String intake, String escalation, String followup, String audit) {
        public Endpoints {
            Objects.requireNonNull(intake);
            Objects.requireNonNull(escalation);
            Objects.requireNonNull(followup);
            Objects.requireNonNull(audit);
        }
    }

    /** Called around each step (tests kill and restart services here). Both run on the scenario's thread. */
    public interface Hooks {
        /** Before the step makes its first request. */
        default void beforeStep(String step, Result soFar) throws Exception {}

        /** After the step made its requests, before it waits for what they cause. */
        default void afterRequests(String step, Result soFar) throws Exception {}
    }

    /** One step: what was done (the requests) and what was seen. */
    public record Step(String name, String title, Duration at, List<String> lines, boolean ok) {}

    /** An escalation as escalation-service showed it. */
    public record Escalation(
            String id,
            String level,
            String previousLevel,
            String ruleId,
            int ruleVersion,
            String reason,
            String action,
            String status,
            String briefing) {}

    /** One entry of the auditor's case history. */
    public record AuditEntry(
            long seq,
            long caseSeq,
            String eventId,
            String type,
            String actor,
            Instant eventTime,
            String description,
            JsonNode data) {}

    /** What happened: filled in as the scenario goes, complete when {@link #play()} returns. */
    public static final class Result {
        private final List<Step> steps = new ArrayList<>();
        private final List<String> expectedTypes = new ArrayList<>();
        private final List<Escalation> escalations = new ArrayList<>();
        private final List<AuditEntry> history = new ArrayList<>();
        private String caseId;
        private String reference;
        private String customerId;
        private String agentId;
        private String watchId;
        private String quietCaseId;
        private Instant promiseDueAt;
        private JsonNode verify;
        private JsonNode finalCase;
        private String failure;
        private Duration elapsed;
        private Instant startedAt;
        private Instant finishedAt;

        public List<Step> steps() {
            return Collections.unmodifiableList(steps);
        }

        /** The event types the scenario caused, in the order it caused them (the auditor's reads left out). */
        public List<String> expectedTypes() {
            return Collections.unmodifiableList(expectedTypes);
        }

        /** The case's escalations as escalation-service listed them at the end. */
        public List<Escalation> escalations() {
            return Collections.unmodifiableList(escalations);
        }

        /** The auditor's history of the case at the end, in the log's order, reads of the log included. */
        public List<AuditEntry> history() {
            return Collections.unmodifiableList(history);
        }

        public String caseId() {
            return caseId;
        }

        public String reference() {
            return reference;
        }

        public String customerId() {
            return customerId;
        }

        public Instant promiseDueAt() {
            return promiseDueAt;
        }

        /** {@code GET /audit/verify}'s answer at the end. */
        public JsonNode verify() {
            return verify;
        }

        /** intake-service's view of the case at the end. */
        public JsonNode finalCase() {
            return finalCase;
        }

        /** Why the scenario stopped early, or null when every step saw what it expected. */
        public String failure() {
            return failure;
        }

        public boolean ok() {
            return failure == null;
        }

        public Duration elapsed() {
            return elapsed;
        }

        public Instant startedAt() {
            return startedAt;
        }

        public Instant finishedAt() {
            return finishedAt;
        }
    }

    /** A step that did not see what it expected. */
    static final class Unexpected extends Exception {
        Unexpected(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = ApiClient.JSON;

    private final Endpoints urls;
    private final ApiClient api;
    private Consumer<String> out = line -> {};
    private Hooks hooks = new Hooks() {};
    private final Result result = new Result();
    private long t0;
    private Step current;
    private List<String> lines;

    /**
     * @param tokens a bearer token (without {@code Bearer }) for each role the scenario acts in:
     *               {@code complaint-submitter}, {@code agent}, {@code supervisor}, {@code auditor}
     */
    public DifficultCustomer(Endpoints urls, Map<String, String> tokens) {
        this.urls = urls;
        this.api = new ApiClient(tokens, Duration.ofSeconds(15));
        for (String role : List.of("complaint-submitter", "agent", "supervisor", "auditor")) {
            if (!tokens.containsKey(role)) {
                throw new IllegalArgumentException("no token for the role " + role);
            }
        }
    }

    /** Where the scenario tells what it does and sees, a line at a time (nothing by default). */
    public DifficultCustomer output(Consumer<String> out) {
        this.out = out;
        return this;
    }

    public DifficultCustomer hooks(Hooks hooks) {
        this.hooks = hooks;
        return this;
    }

    /** Plays the scenario once; never throws for what the services answer (see {@link Result#failure()}). */
    public Result play() throws InterruptedException {
        t0 = System.nanoTime();
        result.startedAt = Instant.now();
        String customer = "C-" + UUID.randomUUID().toString().substring(0, 8);
        result.customerId = customer;
        try {
            step(
                    COMPLAINT,
                    "an upset customer complains (profile DEMO: acknowledge within 20 s, first response 30 s, "
                            + "final response 40 s)",
                    () -> complaint(customer));
            step(
                    ACKNOWLEDGED,
                    "the complaint is acknowledged and apologised for; the agent takes ownership",
                    this::acknowledge);
            step(
                    TONE_RISES,
                    "the customer calls again, angry: a team lead watches, the agent keeps the case",
                    this::toneRises);
            step(
                    BLAMING_REPLY,
                    "the agent answers with blame; language coaching suggests other words",
                    this::blamingReply);
            step(SOLUTIONS_REJECTED, "a solution is offered and rejected, twice", this::solutionsRejected);
            step(ABUSIVE, "the customer turns abusive and gets a boundary warning", this::abusive);
            step(CONVERSATION_ENDED, "the conversation is ended", this::conversationEnded);
            step(MANAGER_DEMANDED, "the customer demands a manager", this::managerDemanded);
            step(PROMISE_MISSED, "a promise is made and missed", this::promiseMissed);
            step(
                    THREATENED,
                    "the customer threatens the agent; the conversation is ended and reported, at MANAGER too",
                    this::threatened);
            step(RESOLVED, "the case is resolved", this::resolved);
            step(
                    FOLLOWUP_DISSATISFIED,
                    "the satisfaction follow-up finds the customer dissatisfied",
                    this::followupDissatisfied);
            step(
                    KEPT_INFORMED,
                    "the quiet customer has heard nothing for 45 s: a progress update is due, and sent",
                    this::keptInformed);
            step(AUDITED, "the auditor's history of the case", this::audited);
        } catch (Unexpected e) {
            result.failure = current.name() + ": " + e.getMessage();
            say("  !! " + e.getMessage());
            finishStep(false);
        } catch (IOException e) {
            result.failure = current.name() + ": " + e;
            say("  !! " + e);
            finishStep(false);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // A hook failed (a service that did not restart, say).
            result.failure = current.name() + ": " + e;
            say("  !! " + e);
            finishStep(false);
        }
        result.elapsed = Duration.ofNanos(System.nanoTime() - t0);
        result.finishedAt = Instant.now();
        say(
                result.ok()
                        ? String.format("the scenario finished in %d s", result.elapsed.toSeconds())
                        : "the scenario stopped after " + result.elapsed.toSeconds() + " s: " + result.failure);
        return result;
    }

    private interface Body {
        void run() throws Exception;
    }

    private void step(String name, String title, Body body) throws Exception {
        lines = new ArrayList<>();
        current = new Step(name, title, Duration.ofNanos(System.nanoTime() - t0), lines, false);
        say(String.format("[%s] %s", elapsed(), title));
        hooks.beforeStep(name, result);
        body.run();
        finishStep(true);
    }

    private void finishStep(boolean ok) {
        if (current != null) {
            result.steps.add(new Step(current.name(), current.title(), current.at(), List.copyOf(lines), ok));
            current = null;
        }
    }

    // ---- the steps ----

    private void complaint(String customer) throws Exception {
        say("  POST " + urls.intake()
                + "/complaints (as complaint-submitter, \"regulatoryProfile\":\"DEMO\", severity HIGH)");
        JsonNode created = expect(
                201,
                post(
                        urls.intake(),
                        "/complaints",
                        "complaint-submitter",
                        Map.of(
                                "customer",
                                Map.of("id", customer, "name", "Morgan Blake", "email", "morgan.blake@example.org"),
                                "channel",
                                "PHONE",
                                "category",
                                "billing",
                                "product",
                                "current account",
                                "summary",
                                "Charged twice for one order, and nobody answers my emails",
                                "severity",
                                "HIGH",
                                "regulatoryProfile",
                                "DEMO"),
                        "scenario-" + customer));
        result.caseId = created.path("id").asText();
        result.reference = created.path("reference").asText();
        expected("complaint.received");
        fact(
                "case %s (%s): status %s, level %s, severity %s, profile %s",
                result.reference,
                result.caseId,
                created.path("status").asText(),
                created.path("level").asText(),
                created.path("severity").asText(),
                created.path("regulatoryProfile").asText());
        customerCalls("UPSET", "Customer calls, upset: charged twice and two emails unanswered");
        expected("case.status-changed");
        quietComplaint();
        hooks.afterRequests(COMPLAINT, result);
        JsonNode deadlines = await(
                "followup-service schedules the DEMO deadlines",
                urls.followup(),
                deadlinesPath(),
                "agent",
                d -> kinds(d).containsAll(List.of("ACKNOWLEDGEMENT", "FIRST_RESPONSE", "FINAL_RESPONSE")));
        fact("deadlines: %s", describeDeadlines(deadlines));
    }

    /**
     * Another customer's complaint, acknowledged and then waiting on the customer, that nobody
     * touches again: its progress-update reminder (DEMO: 45 s of silence) falls due during the
     * scenario and {@link #keptInformed()} answers it. None of its events are the main case's.
     */
    private void quietComplaint() throws Exception {
        String customer = "C-" + UUID.randomUUID().toString().substring(0, 8);
        say("  POST " + urls.intake() + "/complaints (a second, quiet customer: profile DEMO)");
        JsonNode created = expect(
                201,
                post(
                        urls.intake(),
                        "/complaints",
                        "complaint-submitter",
                        Map.of(
                                "customer",
                                Map.of("id", customer, "name", "Robin Hale"),
                                "channel",
                                "EMAIL",
                                "category",
                                "cards",
                                "product",
                                "debit card",
                                "summary",
                                "Replacement card never arrived",
                                "severity",
                                "LOW",
                                "regulatoryProfile",
                                "DEMO"),
                        "scenario-" + customer));
        result.quietCaseId = created.path("id").asText();
        String path = "/complaints/" + result.quietCaseId;
        expect(
                201,
                post(
                        urls.intake(),
                        path + "/interactions",
                        "agent",
                        Map.of("kind", "ACKNOWLEDGEMENT", "text", "We have your complaint about the replacement card"),
                        null));
        expect(
                200,
                post(
                        urls.intake(),
                        path + "/status",
                        "agent",
                        Map.of("status", "AWAITING_CUSTOMER", "reason", "asked the customer to confirm the address"),
                        null));
        fact(
                "quiet case %s: acknowledged, waiting on the customer; nobody writes to them again",
                created.path("reference").asText());
    }

    private void acknowledge() throws Exception {
        JsonNode ack = interaction(Map.of(
                "kind", "ACKNOWLEDGEMENT", "text", "We have your complaint and are looking into the double charge"));
        expected("case.acknowledged");
        result.agentId = ack.path("actorId").asText();
        say("  POST " + urls.intake() + "/complaints/{id}/assignment (the agent takes the case)");
        JsonNode owned = expect(
                200,
                post(
                        urls.intake(),
                        "/complaints/" + result.caseId + "/assignment",
                        "agent",
                        Map.of(
                                "assignee",
                                result.agentId,
                                "level",
                                "AGENT",
                                "briefing",
                                "I take this one: double debit, two emails unanswered, customer upset"),
                        null));
        expected("case.assigned");
        fact(
                "intake: assignee %s at %s",
                owned.path("assignee").asText(), owned.path("level").asText());
        interaction(
                Map.of("kind", "APOLOGY", "text", "We are sorry for the double charge and for not answering sooner"));
        hooks.afterRequests(ACKNOWLEDGED, result);
        JsonNode c = caseView();
        fact(
                "intake: status %s, acknowledged at %s",
                c.path("status").asText(), c.path("acknowledgedAt").asText());
        if (!"IN_PROGRESS".equals(c.path("status").asText())
                || c.path("acknowledgedAt").isNull()) {
            throw new Unexpected("the case should be IN_PROGRESS and acknowledged: " + c);
        }
        JsonNode deadlines = await(
                "the acknowledgement meets the ACKNOWLEDGEMENT and FIRST_RESPONSE deadlines",
                urls.followup(),
                deadlinesPath(),
                "agent",
                d -> "MET".equals(deadline(d, "ACKNOWLEDGEMENT").path("status").asText())
                        && "MET"
                                .equals(deadline(d, "FIRST_RESPONSE")
                                        .path("status")
                                        .asText()));
        fact("deadlines: %s", describeDeadlines(deadlines));
    }

    private void toneRises() throws Exception {
        customerCalls("ANGRY", "Customer calls back, angry: still no refund and nobody called");
        hooks.afterRequests(TONE_RISES, result);
        JsonNode list = await(
                "escalation-service adds a watcher",
                urls.escalation(),
                "/cases/" + result.caseId + "/escalations",
                "supervisor",
                l -> l.path("items").size() == 1);
        expected("escalation.raised");
        Escalation watch = escalation(list.path("items").get(0));
        fact(
                "escalation %s -> %s by rule %s v%d, action %s: %s",
                watch.previousLevel(),
                watch.level(),
                watch.ruleId(),
                watch.ruleVersion(),
                watch.action(),
                watch.reason());
        if (!"WATCH".equals(watch.action()) || !"tone-rising".equals(watch.ruleId())) {
            throw new Unexpected("a rising tone should add a watcher (tone-rising, WATCH): " + watch);
        }
        JsonNode c = await(
                "intake records the watch and leaves the case with the agent",
                urls.intake(),
                "/complaints/" + result.caseId,
                "agent",
                v -> v.path("watches").size() == 1);
        JsonNode w = c.path("watches").get(0);
        fact(
                "intake: level %s, assignee %s; watched by %s (%s)",
                c.path("level").asText(),
                c.path("assignee").asText(),
                w.path("level").asText(),
                w.path("takeOver").asText());
        if (!"AGENT".equals(c.path("level").asText())
                || !result.agentId.equals(c.path("assignee").asText())) {
            throw new Unexpected("the agent should keep the case under a watch: " + c);
        }
        result.watchId = watch.id();
    }

    private void blamingReply() throws Exception {
        JsonNode reply = agentEmails(
                "ANGRY", "As I already told you, the second charge is your fault: you should have checked the basket.");
        hooks.afterRequests(BLAMING_REPLY, result);
        JsonNode coaching = reply.path("coaching");
        for (JsonNode f : coaching.path("findings")) {
            fact(
                    "coaching v%s: %s \"%s\" -> %s",
                    coaching.path("lexiconVersion").asText(),
                    f.path("category").asText(),
                    f.path("phrase").asText(),
                    f.path("suggestion").asText());
        }
        for (JsonNode d : coaching.path("deEscalationSuggestions")) {
            fact("the customer was ANGRY, so: %s", d.asText());
        }
        List<String> categories = new ArrayList<>();
        coaching.path("findings").forEach(f -> categories.add(f.path("category").asText()));
        if (!categories.contains("BLAME")
                || coaching.path("deEscalationSuggestions").isEmpty()) {
            throw new Unexpected("a blaming reply to an angry customer should get blame findings and "
                    + "de-escalation suggestions: " + coaching);
        }
        agentEmails(
                "ANGRY",
                "I understand why you're upset. Let's get this sorted: I am checking both debits with our payments team now.");
    }

    private void solutionsRejected() throws Exception {
        interaction(Map.of("kind", "SOLUTION_OFFERED", "text", "Refund of the second debit within five working days"));
        say("  POST " + urls.intake() + "/complaints/{id}/status AWAITING_CUSTOMER");
        JsonNode status = expect(
                200,
                post(
                        urls.intake(),
                        "/complaints/" + result.caseId + "/status",
                        "agent",
                        Map.of(
                                "status",
                                "AWAITING_CUSTOMER",
                                "reason",
                                "waiting for the customer's answer to the offer"),
                        null));
        expected("case.status-changed");
        fact(
                "status %s: the final response clock (pausable) stops while the customer is asked",
                status.path("status").asText());
        interaction(
                Map.of("kind", "SOLUTION_REJECTED", "text", "Customer wants the money back today, not in five days"));
        interaction(Map.of("kind", "SOLUTION_OFFERED", "text", "Refund today and a 20 GBP goodwill payment"));
        interaction(
                Map.of("kind", "SOLUTION_REJECTED", "text", "Customer refuses: wants compensation for the time lost"));
        hooks.afterRequests(SOLUTIONS_REJECTED, result);
        expected("escalation.resolved"); // the watch ends: the case is handed over to its level
        escalated("TEAM_LEAD", "solutions-rejected-twice");
        JsonNode watch = await(
                "the TEAM_LEAD watch ends with the hand-over",
                urls.escalation(),
                "/cases/" + result.caseId + "/escalations",
                "supervisor",
                l -> {
                    for (JsonNode e : l.path("items")) {
                        if (e.path("id").asText().equals(result.watchId)) {
                            return "RESOLVED".equals(e.path("status").asText());
                        }
                    }
                    return false;
                });
        for (JsonNode e : watch.path("items")) {
            if (e.path("id").asText().equals(result.watchId)) {
                fact(
                        "the watch is %s: %s",
                        e.path("status").asText(), e.path("outcome").asText());
            }
        }
        JsonNode deadlines = await(
                "the final response deadline is paused",
                urls.followup(),
                deadlinesPath(),
                "agent",
                d -> deadline(d, "FINAL_RESPONSE").path("paused").asBoolean());
        fact(
                "FINAL_RESPONSE %s, paused",
                deadline(deadlines, "FINAL_RESPONSE").path("status").asText());
    }

    private void abusive() throws Exception {
        customerCalls("ABUSIVE", "Customer shouts and insults the agent");
        interaction(Map.of(
                "kind",
                "BOUNDARY_WARNING",
                "text",
                "I want to help, but I will end this call if the insults continue"));
        hooks.afterRequests(ABUSIVE, result);
        fact(
                "tone-rising (a watch at TEAM_LEAD) holds again (ABUSIVE), but the case is at TEAM_LEAD already: nothing new");
    }

    private void conversationEnded() throws Exception {
        JsonNode ended = interaction(
                Map.of("kind", "CONVERSATION_ENDED", "text", "Call ended after the warning; the insults went on"));
        String report = abuseReported(ended, "TEAM_LEAD");
        hooks.afterRequests(CONVERSATION_ENDED, result);
        Escalation e = escalated("SUPERVISOR", "conversation-ended-after-warning");
        JsonNode notices = await(
                "followup-service suggests a customer notice for each hand-over",
                urls.followup(),
                "/cases/" + result.caseId + "/customer-notices",
                "agent",
                n -> n.path("items").size() == 2);
        JsonNode notice = notices.path("items").get(1);
        fact(
                "suggested customer notice (%s): \"%s\"",
                notice.path("level").asText(), notice.path("text").asText());
        agentEmails("UPSET", notice.path("text").asText());
        JsonNode sent = await(
                "the email sends the suggested notices",
                urls.followup(),
                "/cases/" + result.caseId + "/customer-notices",
                "agent",
                n -> {
                    for (JsonNode x : n.path("items")) {
                        if (!"SENT".equals(x.path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
        fact("customer notices: %d, all SENT", sent.path("items").size());
        acknowledgeAbuse(report);
        say("  POST " + urls.intake() + "/abuse-reports/{id}/debrief (as agent: the break taken)");
        JsonNode debrief = expect(
                200,
                post(
                        urls.intake(),
                        "/abuse-reports/" + report + "/debrief",
                        "agent",
                        Map.of(
                                "breakTaken",
                                true,
                                "breakMinutes",
                                15,
                                "note",
                                "Took fifteen minutes away from the phones; talked it through with my lead"),
                        null));
        expected("agent.debriefed");
        fact(
                "debrief by %s: break taken, %s minutes",
                debrief.path("debrief").path("debriefedBy").asText(),
                debrief.path("debrief").path("breakMinutes").asText());
        boolean withRecord = e.briefing().toLowerCase(Locale.ROOT).contains("boundary");
        fact(
                "the briefing %s the boundary warning and the ended conversation",
                withRecord ? "carries" : "DOES NOT carry");
        if (!withRecord) {
            throw new Unexpected("the SUPERVISOR briefing should carry the record: " + e.briefing());
        }
    }

    private void managerDemanded() throws Exception {
        interaction(Map.of("kind", "MANAGER_REQUESTED", "text", "Customer demands to speak to the CEO"));
        hooks.afterRequests(MANAGER_DEMANDED, result);
        JsonNode c = nothingMoves(3, "SUPERVISOR", "a demand for a manager alone must escalate nothing");
        fact(
                "after %d s: still 3 escalations, level %s (no rule looks at a manager demand alone)",
                QUIET.toSeconds(), c.path("level").asText());
    }

    /**
     * Watches for {@link #QUIET} that nothing happens: the case keeps {@code escalations} escalations
     * (else the step fails with {@code rule}) and stays at {@code level}. Answers the case.
     */
    private JsonNode nothingMoves(int escalations, String level, String rule) throws Exception {
        long until = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() < until) {
            int n = escalations().size();
            if (n != escalations) {
                throw new Unexpected(rule + "; the case has " + n + " escalations");
            }
            Thread.sleep(500);
        }
        JsonNode c = caseView();
        if (!level.equals(c.path("level").asText())) {
            throw new Unexpected("the level should still be " + level + ": "
                    + c.path("level").asText());
        }
        return c;
    }

    private void promiseMissed() throws Exception {
        Instant due = Instant.now()
                .plus(PROMISE_DELAY)
                .truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds(1);
        result.promiseDueAt = due;
        JsonNode interaction = interaction(Map.of(
                "kind",
                "EXPECTATION_SET",
                "dueAt",
                due.toString(),
                "text",
                "We will call you back with the refund confirmation"));
        expected("promise.made");
        fact("promise %s due %s", interaction.path("promiseId").asText(), due);
        hooks.afterRequests(PROMISE_MISSED, result);
        JsonNode promises = await(
                "the promise is missed",
                urls.intake(),
                "/complaints/" + result.caseId + "/promises",
                "agent",
                p -> p.size() == 1 && "MISSED".equals(p.get(0).path("status").asText()),
                WAIT.plus(PROMISE_DELAY));
        expected("promise.missed");
        fact(
                "intake: promise %s, missed at %s",
                promises.get(0).path("status").asText(),
                promises.get(0).path("missedAt").asText());
        escalated("MANAGER", "promise-missed");
    }

    private void threatened() throws Exception {
        customerCalls("THREATENING", "Customer threatens to wait for the agent outside the branch");
        JsonNode ended = interaction(
                Map.of("kind", "CONVERSATION_ENDED", "text", "Call ended at once: the customer threatened the agent"));
        String report = abuseReported(ended, "MANAGER");
        hooks.afterRequests(THREATENED, result);
        JsonNode c = nothingMoves(4, "MANAGER", "the report must not move the case");
        fact(
                "after %d s: the case stays at %s, the report went to the supervisors",
                QUIET.toSeconds(), c.path("level").asText());
        acknowledgeAbuse(report);
    }

    private void resolved() throws Exception {
        say("  POST " + urls.intake() + "/complaints/{id}/resolution");
        JsonNode c = expect(
                200,
                post(
                        urls.intake(),
                        "/complaints/" + result.caseId + "/resolution",
                        "agent",
                        Map.of(
                                "summary",
                                "Both debits checked; the second refunded with interest, apology and explanation sent",
                                "outcome",
                                "UPHELD",
                                "rootCause",
                                "TRANSACTION_ERROR",
                                "productGroup",
                                "CURRENT_ACCOUNT"),
                        null));
        expected("case.resolved");
        fact("intake: status %s", c.path("status").asText());
        hooks.afterRequests(RESOLVED, result);
        JsonNode deadlines = await(
                "the resolution meets the final response",
                urls.followup(),
                deadlinesPath(),
                "agent",
                d -> "MET".equals(deadline(d, "FINAL_RESPONSE").path("status").asText()));
        fact("deadlines: %s", describeDeadlines(deadlines));
        JsonNode followups = await(
                "a satisfaction follow-up is scheduled",
                urls.followup(),
                followupsPath(),
                "agent",
                f -> f.path("items").size() == 1);
        expected("followup.scheduled");
        fact(
                "follow-up %s %s, due %s",
                followups.path("items").get(0).path("kind").asText(),
                followups.path("items").get(0).path("state").asText(),
                followups.path("items").get(0).path("dueAt").asText());
        say("  POST " + urls.intake() + "/complaints/{id}/review (the post-case review)");
        JsonNode review = expect(
                201,
                post(
                        urls.intake(),
                        "/complaints/" + result.caseId + "/review",
                        "agent",
                        Map.of(
                                "wentWell",
                                "The watch let me keep the customer; the refund was traced in a day",
                                "couldBeBetter",
                                "Should not have answered the angry call with blame; call back before promising",
                                "rootCause",
                                "TRANSACTION_ERROR"),
                        null));
        expected("case.reviewed");
        fact(
                "review %s: could be better: %s",
                review.path("id").asText(), review.path("couldBeBetter").asText());
    }

    private void followupDissatisfied() throws Exception {
        JsonNode followups = await(
                "the follow-up is due",
                urls.followup(),
                followupsPath(),
                "agent",
                f -> "DUE".equals(f.path("items").path(0).path("state").asText()));
        expected("followup.due");
        String id = followups.path("items").get(0).path("id").asText();
        fact("follow-up %s is DUE", id);
        say("  POST " + urls.followup()
                + "/followups/{followupId}/outcome {\"reached\":true,\"satisfied\":false,\"rating\":1}");
        JsonNode outcome = expect(
                200,
                post(
                        urls.followup(),
                        "/followups/" + id + "/outcome",
                        "agent",
                        Map.of(
                                "reached",
                                true,
                                "satisfied",
                                false,
                                "rating",
                                1,
                                "feedback",
                                "The refund came, but nobody explained why it took so long"),
                        null));
        expected("followup.completed");
        fact(
                "outcome: state %s, satisfied %s, rating %s",
                outcome.path("state").asText(),
                outcome.path("satisfied").asText(),
                outcome.path("rating").asText());
        hooks.afterRequests(FOLLOWUP_DISSATISFIED, result);
        JsonNode c = await(
                "intake reopens the case",
                urls.intake(),
                "/complaints/" + result.caseId,
                "agent",
                v -> "REOPENED".equals(v.path("status").asText()));
        expected("case.reopened");
        fact(
                "intake: status %s, reopened %s time(s), level %s",
                c.path("status").asText(),
                c.path("reopenCount").asText(),
                c.path("level").asText());
    }

    private void keptInformed() throws Exception {
        String path = "/cases/" + result.quietCaseId + "/progress-updates";
        JsonNode due = await(
                "the quiet case's progress-update reminder falls due",
                urls.followup(),
                path,
                "agent",
                r -> r.path("items").size() == 1
                        && "DUE".equals(r.path("items").get(0).path("status").asText()),
                WAIT.plus(Duration.ofSeconds(45)));
        JsonNode reminder = due.path("items").get(0);
        fact(
                "progress update DUE at %s: the customer last heard from us at %s (%s), cadence %s",
                reminder.path("dueAt").asText(),
                reminder.path("lastHeardAt").asText(),
                reminder.path("lastHeardBy").asText(),
                reminder.path("cadence").asText());
        expect(
                201,
                post(
                        urls.intake(),
                        "/complaints/" + result.quietCaseId + "/interactions",
                        "agent",
                        Map.of(
                                "kind",
                                "CUSTOMER_CONTACT",
                                "direction",
                                "OUTBOUND",
                                "channel",
                                "EMAIL",
                                "tone",
                                "CALM",
                                "text",
                                "We are still working on your card: a new one is on its way, we will confirm by Friday."),
                        null));
        say("  POST " + urls.intake() + "/complaints/{quietId}/interactions CUSTOMER_CONTACT (OUTBOUND): the update");
        JsonNode sent = await(
                "the update sends the reminder and starts the next",
                urls.followup(),
                path,
                "agent",
                r -> r.path("items").size() == 2
                        && "SENT".equals(r.path("items").get(0).path("status").asText()));
        fact(
                "reminder %s by %s; the next is due %s",
                sent.path("items").get(0).path("status").asText(),
                sent.path("items").get(0).path("sentBy").path("kind").asText(),
                sent.path("items").get(1).path("dueAt").asText());
    }

    private void audited() throws Exception {
        hooks.afterRequests(AUDITED, result);
        List<String> want = new ArrayList<>(result.expectedTypes);
        // Every read of the log is itself logged on the case (redress.audit.accessed): poll sparingly.
        JsonNode history = await(
                "the audit log holds every event of the case",
                urls.audit(),
                "/audit/cases/" + result.caseId,
                "auditor",
                h -> containsAll(types(h), want),
                WAIT,
                Duration.ofSeconds(1));
        result.history.clear();
        for (JsonNode e : history.path("history")) {
            result.history.add(new AuditEntry(
                    e.path("seq").asLong(),
                    e.path("caseSeq").asLong(),
                    e.path("eventId").asText(),
                    e.path("type").asText(),
                    e.path("actor").asText(),
                    Instant.parse(e.path("eventTime").asText()),
                    e.path("description").asText(),
                    e.path("data")));
        }
        say("  GET " + urls.audit() + "/audit/cases/" + result.caseId);
        int events = 0;
        for (AuditEntry e : result.history) {
            if (!e.type().equals("redress.audit.accessed")) {
                events++;
                // A briefing runs over several lines: its first one here, the whole of it in the log.
                List<String> description = e.description().lines().toList();
                say(String.format(
                        "  #%-5d %-24s %-26s %s%s",
                        e.seq(),
                        e.eventTime().truncatedTo(ChronoUnit.MILLIS),
                        e.actor(),
                        description.isEmpty() ? "" : description.get(0),
                        description.size() > 1 ? " (+" + (description.size() - 1) + " lines)" : ""));
            }
        }
        List<String> extra = new ArrayList<>(types(history));
        want.forEach(extra::remove);
        fact(
                "%d events: every one the scenario caused%s",
                events, extra.isEmpty() ? ", and no other" : ", and also " + extra);
        result.finalCase = caseView();
        result.escalations.clear();
        result.escalations.addAll(escalations());
        JsonNode verify = expect(200, get(urls.audit(), "/audit/verify", "auditor"));
        result.verify = verify;
        fact(
                "GET /audit/verify: ok %s, %s entries checked, head #%s",
                verify.path("ok").asText(),
                verify.path("entriesChecked").asText(),
                verify.path("headSeq").asText());
        if (!verify.path("ok").asBoolean()) {
            throw new Unexpected("the log does not verify: " + verify);
        }
        if (result.escalations.size() != ESCALATION_LADDER.size()) {
            throw new Unexpected("expected " + ESCALATION_LADDER.size() + " escalations, found " + result.escalations);
        }
    }

    // ---- what the steps share ----

    /** The agent writes to the customer by email (the customer's tone as last judged), saying this. */
    private JsonNode agentEmails(String tone, String text) throws Exception {
        return interaction(Map.of(
                "kind", "CUSTOMER_CONTACT", "direction", "OUTBOUND", "channel", "EMAIL", "tone", tone, "text", text));
    }

    /** The customer calls in, in this tone, saying this. */
    private void customerCalls(String tone, String text) throws Exception {
        interaction(Map.of(
                "kind", "CUSTOMER_CONTACT", "direction", "INBOUND", "channel", "PHONE", "tone", tone, "text", text));
    }

    private JsonNode interaction(Map<String, Object> body) throws Exception {
        JsonNode recorded =
                expect(201, post(urls.intake(), "/complaints/" + result.caseId + "/interactions", "agent", body, null));
        expected("interaction.recorded");
        String kind = String.valueOf(body.get("kind"));
        say(String.format(
                "  POST %s/complaints/{id}/interactions %s%s: \"%s\"",
                urls.intake(),
                kind,
                body.containsKey("tone") ? " (" + body.get("direction") + ", tone " + body.get("tone") + ")" : "",
                body.get("text")));
        return recorded;
    }

    /**
     * Waits for the case's next escalation (at {@code level}, by {@code rule}), checks it is the only new
     * one and carries a briefing, waits for intake to move the case to that level's queue, and has a
     * supervisor acknowledge it (which meets its response deadline at followup-service).
     */
    private Escalation escalated(String level, String rule) throws Exception {
        int before = (int) result.expectedTypes.stream()
                .filter("escalation.raised"::equals)
                .count();
        JsonNode list = await(
                "escalation-service raises " + level,
                urls.escalation(),
                "/cases/" + result.caseId + "/escalations",
                "supervisor",
                l -> l.path("items").size() > before);
        expected("escalation.raised");
        if (list.path("items").size() != before + 1) {
            throw new Unexpected("one new escalation expected, found " + list.path("items"));
        }
        Escalation e = escalation(list.path("items").get(before));
        String firstLine = e.briefing().lines().findFirst().orElse("");
        fact(
                "escalation %s -> %s by rule %s v%d: %s",
                e.previousLevel(), e.level(), e.ruleId(), e.ruleVersion(), e.reason());
        fact("briefing (%d lines): %s ...", e.briefing().lines().count(), firstLine);
        if (!e.level().equals(level) || !e.ruleId().equals(rule) || e.briefing().isBlank()) {
            throw new Unexpected("expected " + level + " by " + rule + " with a briefing, found " + e);
        }
        JsonNode c = await(
                "intake puts the case in the " + level + " queue",
                urls.intake(),
                "/complaints/" + result.caseId,
                "agent",
                v -> level.equals(v.path("level").asText()));
        expected("case.assigned");
        fact(
                "intake: level %s, assignee %s (the level's queue)",
                c.path("level").asText(),
                c.path("assignee").isNull() ? "none" : c.path("assignee").asText());
        say("  POST " + urls.escalation() + "/escalations/{escalationId}/acknowledge (as supervisor)");
        JsonNode ack = expect(
                200, post(urls.escalation(), "/escalations/" + e.id() + "/acknowledge", "supervisor", null, null));
        expected("escalation.acknowledged");
        fact("acknowledged by %s", ack.path("acknowledgedBy").asText());
        await("its response deadline is met", urls.followup(), deadlinesPath(), "agent", d -> {
            for (JsonNode x : d.path("items")) {
                if (e.id().equals(x.path("escalationId").asText())
                        && "MET".equals(x.path("status").asText())) {
                    return true;
                }
            }
            return false;
        });
        return e;
    }

    /** The interaction's answer names the abuse report it filed, at the case's level: returns its id. */
    private String abuseReported(JsonNode ended, String level) throws Exception {
        JsonNode link = ended.path("abuseReport");
        if (!link.path("id").isTextual()) {
            throw new Unexpected("ending an abusive conversation should file an abuse report: " + ended);
        }
        expected("abuse.reported");
        String id = link.path("id").asText();
        JsonNode open = await(
                "a supervisor sees the report among the open ones",
                urls.intake(),
                "/abuse-reports?status=OPEN&caseId=" + result.caseId,
                "supervisor",
                l -> {
                    for (JsonNode r : l) {
                        if (r.path("id").asText().equals(id)) {
                            return true;
                        }
                    }
                    return false;
                });
        for (JsonNode r : open) {
            if (r.path("id").asText().equals(id)) {
                fact(
                        "abuse report %s: tone %s, ended by %s, case at %s, break offered %s, %d interactions of record",
                        id,
                        r.path("tone").asText(),
                        r.path("endedBy").asText(),
                        r.path("level").asText(),
                        r.path("breakOffered").asText(),
                        r.path("recordIds").size());
                if (!level.equals(r.path("level").asText())) {
                    throw new Unexpected("the report should name the case's level " + level + ": " + r);
                }
            }
        }
        return id;
    }

    private void acknowledgeAbuse(String report) throws Exception {
        say("  POST " + urls.intake() + "/abuse-reports/{id}/acknowledge (as supervisor)");
        JsonNode ack =
                expect(200, post(urls.intake(), "/abuse-reports/" + report + "/acknowledge", "supervisor", null, null));
        expected("abuse.acknowledged");
        fact(
                "report %s by %s",
                ack.path("status").asText(), ack.path("acknowledgedBy").asText());
    }

    private List<Escalation> escalations() throws Exception {
        JsonNode list = expect(200, get(urls.escalation(), "/cases/" + result.caseId + "/escalations", "supervisor"));
        List<Escalation> out = new ArrayList<>();
        list.path("items").forEach(i -> out.add(escalation(i)));
        return out;
    }

    private static Escalation escalation(JsonNode i) {
        return new Escalation(
                i.path("id").asText(),
                i.path("level").asText(),
                i.path("previousLevel").asText(),
                i.path("ruleId").asText(),
                i.path("ruleVersion").asInt(),
                i.path("reason").asText(),
                i.path("action").asText("HAND_OVER"),
                i.path("status").asText(),
                i.path("briefing").asText(""));
    }

    private JsonNode caseView() throws Exception {
        return expect(200, get(urls.intake(), "/complaints/" + result.caseId, "agent"));
    }

    private String deadlinesPath() {
        return "/cases/" + result.caseId + "/deadlines";
    }

    private String followupsPath() {
        return "/followups?caseId=" + URLEncoder.encode(result.caseId, StandardCharsets.UTF_8);
    }

    private static List<String> kinds(JsonNode deadlines) {
        List<String> kinds = new ArrayList<>();
        deadlines.path("items").forEach(d -> kinds.add(d.path("kind").asText()));
        return kinds;
    }

    /** The case's own (not an escalation's) deadline of that kind, the latest one. */
    private static JsonNode deadline(JsonNode deadlines, String kind) {
        JsonNode found = JSON.missingNode();
        for (JsonNode d : deadlines.path("items")) {
            if (kind.equals(d.path("kind").asText())) {
                found = d;
            }
        }
        return found;
    }

    private static String describeDeadlines(JsonNode deadlines) {
        List<String> parts = new ArrayList<>();
        for (JsonNode d : deadlines.path("items")) {
            if (!d.path("escalationId").isTextual()) {
                parts.add(d.path("kind").asText() + " " + d.path("status").asText()
                        + (d.path("paused").asBoolean() ? " (paused)" : ""));
            }
        }
        return String.join(", ", parts);
    }

    private static List<String> types(JsonNode history) {
        List<String> types = new ArrayList<>();
        for (JsonNode e : history.path("history")) {
            String type = e.path("type").asText();
            if (!type.equals("redress.audit.accessed")) {
                types.add(type.startsWith("redress.") ? type.substring("redress.".length()) : type);
            }
        }
        return types;
    }

    private static boolean containsAll(List<String> have, List<String> want) {
        List<String> left = new ArrayList<>(have);
        for (String w : want) {
            if (!left.remove(w)) {
                return false;
            }
        }
        return true;
    }

    private void expected(String type) {
        result.expectedTypes.add(type);
    }

    private void fact(String format, Object... args) {
        String line = String.format(format, args);
        lines.add(line);
        say("  -> " + line);
    }

    private void say(String line) {
        out.accept(line);
    }

    private String elapsed() {
        return String.format("+%2ds", Duration.ofNanos(System.nanoTime() - t0).toSeconds());
    }

    // ---- HTTP ----

    private HttpResponse<String> post(String base, String path, String role, Object body, String idempotencyKey)
            throws IOException, InterruptedException {
        return api.post(base, path, role, body, idempotencyKey);
    }

    private HttpResponse<String> get(String base, String path, String role) throws IOException, InterruptedException {
        return api.get(base, path, role);
    }

    private JsonNode expect(int status, HttpResponse<String> r) throws IOException, Unexpected {
        if (r.statusCode() != status) {
            throw new Unexpected(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + " (expected "
                    + status + "): " + r.body());
        }
        return r.body().isEmpty() ? JSON.missingNode() : JSON.readTree(r.body());
    }

    private JsonNode await(String what, String base, String path, String role, Predicate<JsonNode> done)
            throws Exception {
        return await(what, base, path, role, done, WAIT);
    }

    private JsonNode await(
            String what, String base, String path, String role, Predicate<JsonNode> done, Duration atMost)
            throws Exception {
        return await(what, base, path, role, done, atMost, Duration.ofMillis(250));
    }

    /**
     * GETs until the answer (200, JSON) satisfies {@code done}; a service that does not answer (it may be
     * restarting) counts as "not yet". Fails the step after {@code atMost} with the last answer seen.
     */
    private JsonNode await(
            String what,
            String base,
            String path,
            String role,
            Predicate<JsonNode> done,
            Duration atMost,
            Duration every)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        String last = "no answer";
        while (true) {
            try {
                HttpResponse<String> r = get(base, path, role);
                if (r.statusCode() == 200) {
                    JsonNode body = JSON.readTree(r.body());
                    if (done.test(body)) {
                        return body;
                    }
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() >= deadline) {
                throw new Unexpected("not seen within " + atMost.toSeconds() + " s: " + what + "; GET " + base + path
                        + " last answered " + (last.length() > 2000 ? last.substring(0, 2000) + "..." : last));
            }
            Thread.sleep(every.toMillis());
        }
    }
}
