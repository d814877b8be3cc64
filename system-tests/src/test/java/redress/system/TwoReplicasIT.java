package redress.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.EventCodec;
import redress.localrun.scenario.DifficultCustomer;
import redress.testsupport.TestInfrastructure;

/**
 * Two replicas of every service, one PostgreSQL, one broker with partitioned topics
 * ({@link TestInfrastructure#PARTITIONS}): each service's two processes share its database and its
 * consumer group, and together they must behave as one service.
 * <ol>
 * <li>The difficult customer, every request through a round-robin {@link ServiceFront}, so that
 *     consecutive requests land on different replicas: the same history as {@link ScenarioIT}.
 * <li>A load of {@value #COMPLAINTS} DEMO complaints spread over both intake replicas, with the
 *     replica holding the outbox relay of every service killed (SIGKILL) in the middle of it. A
 *     supervisor's desk acknowledges every escalation. Every accepted complaint then has one
 *     {@code complaint.received} in the log, its deadlines and follow-up each scheduled once and
 *     fired at most once per stage, one escalation per crossing (exactly one for a CRITICAL one),
 *     each applied once by intake; never two relays of a service active at once, and the log
 *     verifies.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    static final int COMPLAINTS = 150;
    /** Between two complaints: the load lasts about six seconds. */
    static final Duration PACE = Duration.ofMillis(40);

    static final List<String> SHORT = List.of("intake", "escalation", "followup", "audit");

    /** What the load does to a complaint, by its index. */
    enum Kind {
        /** CRITICAL: acknowledged; resolved once its escalation is acknowledged. One escalation, SUPERVISOR. */
        CRITICAL,
        /** Acknowledged and resolved at once: every deadline met, the satisfaction follow-up runs out. */
        RESOLVED,
        /** Acknowledged and left open: the final response warns (TEAM_LEAD) and is breached (MANAGER). */
        OPEN;

        static Kind of(int i) {
            return i % 5 == 0 ? CRITICAL : i % 5 <= 2 ? RESOLVED : OPEN;
        }
    }

    /** An accepted complaint: its id and what the load did to it. */
    record Accepted(String caseId, Kind kind, int replica) {}

    static SystemUnderTest system;
    static RelayWatch relays;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.builder().replicas(2).start();
        relays = new RelayWatch();
    }

    @AfterAll
    static void stop() {
        if (relays != null) {
            relays.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void theDifficultCustomerAcrossBothReplicasOfEveryServiceEndsWithTheSameHistory() throws Exception {
        Map<String, long[]> before = served();
        DifficultCustomer.Result result = Scenarios.scenario(system).play();
        Map<String, long[]> after = served();
        Scenarios.assertHistory(system, result);
        assertEquals(List.of(), Scenarios.causesLoggedLate(system, result));
        for (String service : SHORT) {
            long[] requests = {
                after.get(service)[0] - before.get(service)[0], after.get(service)[1] - before.get(service)[1]
            };
            SystemUnderTest.log(service + ": the scenario's requests per replica " + requests[0] + " / " + requests[1]);
            assertTrue(requests[0] > 0 && requests[1] > 0, service + ": both replicas answered the scenario");
        }
        assertEquals(List.of(), relays.overlaps(), "two relays of one service active at once");
    }

    @Test
    @Order(2)
    void aLoadWithOneReplicaOfEachServiceKilledLosesAndDoublesNothing() throws Exception {
        Instant loadStart = Instant.now();
        Load load = new Load();
        Desk desk = new Desk(load);
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(6);
        List<Future<Accepted>> submissions = new ArrayList<>();
        Map<String, Integer> killed = new LinkedHashMap<>();
        try {
            for (int i = 0; i < COMPLAINTS; i++) {
                int index = i;
                submissions.add(pacer.schedule(() -> load.submit(index), i * PACE.toMillis(), TimeUnit.MILLISECONDS));
            }
            desk.start();

            // Half-way through the load, the replica that holds the relay of intake, escalation and audit.
            Awaitility.await("half of the complaints accepted")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> load.accepted() >= COMPLAINTS / 2);
            assertTrue(load.acceptedBy(0) > 0 && load.acceptedBy(1) > 0, "both intake replicas accept complaints");
            for (String service : List.of("intake", "escalation", "audit")) {
                killed.put(service, relays.awaitLeader(service));
                system.kill(service, killed.get(service));
            }
            // followup-service's, once both replicas' wakers have fired follow-ups that fell due.
            Awaitility.await("both followup-service replicas fire due follow-ups")
                    .atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> woken(0) > 0 && woken(1) > 0);
            SystemUnderTest.log(
                    "followup-service rows woken per replica before the kill: " + woken(0) + " / " + woken(1));
            killed.put("followup", relays.awaitLeader("followup"));
            system.kill("followup", killed.get("followup"));
            SystemUnderTest.log("killed the relay holders: " + killed);

            // The other replica of each takes the relay over.
            for (String service : SHORT) {
                int survivor = 1 - killed.get(service);
                Awaitility.await(service + ": the surviving replica takes the relay over")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> relays.active(service, survivor));
            }
            List<Accepted> accepted = new ArrayList<>();
            for (Future<Accepted> f : submissions) {
                accepted.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(COMPLAINTS, accepted.size());
            SystemUnderTest.log("load: " + COMPLAINTS + " complaints accepted in "
                    + Duration.between(loadStart, Instant.now()).toSeconds() + " s, by intake replica: "
                    + load.acceptedBy(0) + " / " + load.acceptedBy(1) + "; retried on the other replica: "
                    + load.retries());

            // Everything the load set going has happened, exactly as often as it should.
            List<String> problems = new ArrayList<>();
            Awaitility.await("every complaint's consequences, each once")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(3))
                    .until(() -> {
                        problems.clear();
                        problems.addAll(problems(accepted, loadStart, false));
                        return problems.isEmpty() || !desk.failures().isEmpty();
                    });
            assertEquals(List.of(), desk.failures(), "the supervisors' desk");
            desk.stop();
            // Nothing late comes after: a second look, some seconds on, with the summary.
            Thread.sleep(3000);
            assertEquals(List.of(), problems(accepted, loadStart, true));
        } finally {
            desk.stop();
            pacer.shutdownNow();
        }
        JsonNode verify = EventCodec.mapper()
                .readTree(load.get(system.baseUrl("audit"), "/audit/verify", "auditor")
                        .body());
        assertTrue(verify.path("ok").asBoolean(), verify.toString());
        SystemUnderTest.log("relay holders seen: " + relays.holders());
        assertEquals(List.of(), relays.overlaps(), "two relays of one service active at once");
        for (String service : SHORT) {
            int survivor = 1 - killed.get(service);
            assertEquals(
                    List.of(killed.get(service), survivor),
                    relays.holders().get(service),
                    service + ": one relay until the kill, then the other replica's");
        }
    }

    // ---- what the load must have caused ----

    /**
     * What is missing or doubled, read from the audit log (every producer's events), followup-service's
     * deadlines and follow-ups, and escalation-service's escalations. Empty when the system has done
     * everything the load set going, each thing once.
     */
    static List<String> problems(List<Accepted> accepted, Instant loadStart, boolean summarise) throws Exception {
        Map<String, Accepted> byCase = new HashMap<>();
        accepted.forEach(a -> byCase.put(a.caseId(), a));
        Map<String, List<JsonNode>> events = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Scenarios.Logged logged : Scenarios.export(system, loadStart.minusSeconds(5))) {
            JsonNode e = logged.envelope();
            if (byCase.containsKey(e.path("subject").asText())) {
                if (!eventIds.add(e.path("id").asText())) {
                    problems.add("event " + e.path("id").asText() + " logged twice");
                }
                events.computeIfAbsent(e.path("subject").asText(), k -> new ArrayList<>())
                        .add(e);
            }
        }
        Map<String, List<String[]>> deadlines = rows(
                "sys_followup",
                "SELECT case_id::text, id::text, kind, state, coalesce(escalation_id::text, '') FROM deadline "
                        + "WHERE case_id::text = ANY (?)",
                byCase.keySet());
        Map<String, List<String[]>> followups = rows(
                "sys_followup",
                "SELECT case_id::text, id::text, state FROM followup WHERE case_id::text = ANY (?)",
                byCase.keySet());
        Map<String, List<String[]>> escalations = rows(
                "sys_escalation",
                "SELECT case_id::text, id::text, level, rule_id, status FROM escalation WHERE case_id::text = ANY (?)",
                byCase.keySet());
        Map<String, Integer> histogram = new TreeMap<>();
        for (Accepted a : accepted) {
            List<JsonNode> caseEvents = events.getOrDefault(a.caseId(), List.of());
            caseEvents.forEach(e -> histogram.merge(a.kind() + " " + type(e), 1, Integer::sum));
            problems.addAll(problems(
                    a,
                    caseEvents,
                    deadlines.getOrDefault(a.caseId(), List.of()),
                    followups.getOrDefault(a.caseId(), List.of()),
                    escalations.getOrDefault(a.caseId(), List.of())));
        }
        if (summarise) {
            SystemUnderTest.log("the load's events in the log, by kind of complaint: " + histogram);
        }
        return problems.size() > 20
                ? List.of(problems.size() + " problems, the first: " + problems.subList(0, 20))
                : problems;
    }

    private static List<String> problems(
            Accepted a,
            List<JsonNode> events,
            List<String[]> deadlines,
            List<String[]> followups,
            List<String[]> escalations) {
        List<String> p = new ArrayList<>();
        String c = a.kind() + " case " + a.caseId() + ": ";
        Map<String, Integer> count = new HashMap<>();
        events.forEach(e -> count.merge(type(e), 1, Integer::sum));
        expect(p, c + "complaint.received", 1, count.getOrDefault("complaint.received", 0));
        expect(p, c + "case.acknowledged", 1, count.getOrDefault("case.acknowledged", 0));
        expect(p, c + "interaction.recorded", 1, count.getOrDefault("interaction.recorded", 0));
        expect(p, c + "case.resolved", a.kind() == Kind.OPEN ? 0 : 1, count.getOrDefault("case.resolved", 0));

        // Escalations: the ladder each kind must climb, each step once, each applied once by intake.
        List<String> ladder = new ArrayList<>();
        Map<String, Integer> acknowledged = new HashMap<>();
        for (JsonNode e : events) {
            if (type(e).equals("escalation.raised")) {
                ladder.add(e.path("data").path("level").asText() + " "
                        + e.path("data").path("ruleId").asText());
            } else if (type(e).equals("escalation.acknowledged")) {
                acknowledged.merge(e.path("data").path("escalationId").asText(), 1, Integer::sum);
            }
        }
        List<String> warned = new ArrayList<>();
        events.stream()
                .filter(e -> type(e).equals("deadline.warning"))
                .forEach(e -> warned.add(e.path("data").path("kind").asText()));
        List<String> expectedLadder = switch (a.kind()) {
            case CRITICAL -> List.of("SUPERVISOR critical-severity");
            case RESOLVED -> List.of();
            case OPEN ->
                warned.contains("FINAL_RESPONSE")
                        ? List.of("TEAM_LEAD final-response-warning", "MANAGER deadline-breached")
                        : List.of("MANAGER deadline-breached");
        };
        if (!ladder.equals(expectedLadder)) {
            p.add(c + "escalations " + ladder + ", expected " + expectedLadder);
        }
        expect(
                p,
                c + "case.assigned (intake applies each escalation once)",
                ladder.size(),
                count.getOrDefault("case.assigned", 0));
        expect(p, c + "escalations stored by escalation-service", ladder.size(), escalations.size());
        for (String[] e : escalations) {
            if (acknowledged.getOrDefault(e[1], 0) != 1 || !e[4].equals("ACKNOWLEDGED")) {
                p.add(c + "escalation " + e[1] + " " + e[2] + " is " + e[4] + ", acknowledged "
                        + acknowledged.getOrDefault(e[1], 0) + " times in the log");
            }
        }

        // Deadlines: the profile's three and one per escalation, each scheduled once; fired at most once per stage.
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, String> stateOf = new HashMap<>();
        for (String[] d : deadlines) {
            kinds.merge(d[2], 1, Integer::sum);
            stateOf.put(d[1], d[3]);
        }
        Map<String, Integer> expectedKinds =
                new TreeMap<>(Map.of("ACKNOWLEDGEMENT", 1, "FIRST_RESPONSE", 1, "FINAL_RESPONSE", 1));
        if (!ladder.isEmpty()) {
            expectedKinds.put("ESCALATION_RESPONSE", ladder.size());
        }
        if (!kinds.equals(expectedKinds)) {
            p.add(c + "deadlines " + kinds + ", expected " + expectedKinds);
        }
        for (String[] d : deadlines) {
            String expected = a.kind() == Kind.OPEN && d[2].equals("FINAL_RESPONSE") ? "BREACHED" : "MET";
            if (!expected.equals(d[3])) {
                p.add(c + d[2] + " deadline " + d[1] + " is " + d[3] + ", expected " + expected);
            }
        }
        Map<String, Integer> breaches = new HashMap<>();
        Map<String, Integer> warnings = new HashMap<>();
        for (JsonNode e : events) {
            String deadline = e.path("data").path("deadlineId").asText();
            if (type(e).equals("deadline.breached")) {
                breaches.merge(deadline, 1, Integer::sum);
            } else if (type(e).equals("deadline.warning")) {
                warnings.merge(deadline, 1, Integer::sum);
            } else if (type(e).equals("deadline.corrected")) {
                p.add(c + "a breach withdrawn: " + e.path("data"));
            }
        }
        stateOf.forEach((id, state) -> {
            expect(p, c + "deadline.breached of " + id, state.equals("BREACHED") ? 1 : 0, breaches.getOrDefault(id, 0));
            if (warnings.getOrDefault(id, 0) > 2) {
                p.add(c + "deadline " + id + " warned " + warnings.get(id) + " times; it has two thresholds");
            }
        });

        // The satisfaction follow-up of a resolved case: scheduled once, each stage announced at most once, ended once.
        int expectedFollowups = a.kind() == Kind.OPEN ? 0 : 1;
        expect(p, c + "follow-ups", expectedFollowups, followups.size());
        for (String[] f : followups) {
            if (!f[2].equals("NO_RESPONSE")) {
                p.add(c + "follow-up " + f[1] + " is " + f[2] + ", expected NO_RESPONSE");
            }
        }
        expect(p, c + "followup.scheduled", expectedFollowups, count.getOrDefault("followup.scheduled", 0));
        expect(p, c + "followup.completed", expectedFollowups, count.getOrDefault("followup.completed", 0));
        Map<String, Integer> due = new HashMap<>();
        events.stream()
                .filter(e -> type(e).equals("followup.due"))
                .forEach(e -> due.merge(e.path("data").path("kind").asText(), 1, Integer::sum));
        due.forEach((kind, n) -> {
            if (n > 1) {
                p.add(c + "followup.due " + kind + " announced " + n + " times");
            }
        });
        return p;
    }

    private static void expect(List<String> problems, String what, int expected, int actual) {
        if (expected != actual) {
            problems.add(what + ": " + actual + ", expected " + expected);
        }
    }

    private static String type(JsonNode envelope) {
        return envelope.path("type").asText().substring("redress.".length());
    }

    /** Rows of a service's database by their first column, for the cases given (as the one parameter). */
    private static Map<String, List<String[]>> rows(String database, String sql, Set<String> cases)
            throws SQLException {
        TestInfrastructure infra = system.infrastructure();
        Map<String, List<String[]>> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(
                        infra.database(database),
                        infra.postgres().user(),
                        infra.postgres().password());
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", cases.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row);
                }
            }
        }
        return rows;
    }

    // ---- the replicas, seen from outside ----

    /** Requests each service's front passed to each replica so far. */
    private static Map<String, long[]> served() {
        Map<String, long[]> served = new HashMap<>();
        for (String service : SHORT) {
            ServiceFront front = system.front(service);
            served.put(service, new long[] {front.served(0), front.served(1)});
        }
        return served;
    }

    /** followup-service's {@code redress_followup_woken_total} on one replica: due rows its waker fired. */
    private static double woken(int replica) {
        return metric("followup", replica, "redress_followup_woken_total");
    }

    /** A metric's value on one replica; NaN when it does not answer or has no such metric. */
    static double metric(String service, int replica, String name) {
        try {
            HttpResponse<String> r = RelayWatch.HTTP.send(
                    HttpRequest.newBuilder(URI.create(system.baseUrl(service, replica) + "/q/metrics"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (IOException e) {
            // down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Double.NaN;
    }

    /**
     * Samples every replica's {@code redress_outbox_relay_active} twice a second: which replica of
     * each service relays, and any moment at which two of one service both said they did.
     */
    static final class RelayWatch implements AutoCloseable {
        static final HttpClient HTTP =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-watch");
            t.setDaemon(true);
            return t;
        });
        private final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, List<Integer>> holders = new ConcurrentHashMap<>();

        RelayWatch() {
            timer.scheduleWithFixedDelay(this::sample, 0, 500, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            for (String service : SHORT) {
                List<Integer> active = new ArrayList<>();
                for (int r = 0; r < system.replicas(); r++) {
                    if (active(service, r)) {
                        active.add(r);
                    }
                }
                if (active.size() > 1) {
                    overlaps.add(Instant.now() + " " + service + " replicas " + active);
                }
                if (active.size() == 1) {
                    List<Integer> seen =
                            holders.computeIfAbsent(service, s -> Collections.synchronizedList(new ArrayList<>()));
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(active.get(0))) {
                        seen.add(active.get(0));
                    }
                }
            }
        }

        boolean active(String service, int replica) {
            return metric(service, replica, "redress_outbox_relay_active") == 1.0;
        }

        /** The replica that relays for the service (waited for: one always does, but not between two holders). */
        int awaitLeader(String service) {
            int[] leader = {-1};
            Awaitility.await(service + ": one replica relays")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        for (int r = 0; r < system.replicas(); r++) {
                            if (active(service, r)) {
                                leader[0] = r;
                                return true;
                            }
                        }
                        return false;
                    });
            return leader[0];
        }

        /** Moments at which two replicas of one service were relaying. */
        List<String> overlaps() {
            return List.copyOf(overlaps);
        }

        /** Each service's relay holders in the order they were seen. */
        Map<String, List<Integer>> holders() {
            Map<String, List<Integer>> copy = new TreeMap<>();
            holders.forEach((s, h) -> copy.put(s, List.copyOf(h)));
            return copy;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    // ---- the load and the desk ----

    /**
     * The load's client: complaints spread over both intake replicas by index, each with its own
     * {@code Idempotency-Key}. A request that finds its replica gone (connection refused, or no
     * answer because it was killed while handling it) is not assumed lost or done: a complaint is
     * sent again to the other replica with the same key (a replay answers the original case); for
     * an interaction or a resolution the other replica is asked first whether it was recorded.
     */
    static final class Load {
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final Map<String, String> tokens = Map.of(
                "complaint-submitter", system.token("load-crm", "complaint-submitter"),
                "agent", system.token("load-agent", "agent"),
                "supervisor", system.token("load-supervisor", "supervisor"),
                "auditor", system.token("load-auditor", "auditor"));
        private final String run = UUID.randomUUID().toString().substring(0, 8);
        private final AtomicIntegerArray acceptedBy = new AtomicIntegerArray(2);
        private final AtomicInteger retried = new AtomicInteger();
        final Map<String, Kind> kinds = new ConcurrentHashMap<>();

        Accepted submit(int i) throws Exception {
            Kind kind = Kind.of(i);
            int replica = i % 2;
            String body = EventCodec.mapper()
                    .writeValueAsString(Map.of(
                            "customer",
                            Map.of("id", "LOAD-" + run + "-" + i, "name", "Load customer " + i),
                            "channel",
                            "WEB",
                            "category",
                            "billing",
                            "product",
                            "current account",
                            "summary",
                            "Load complaint " + i + " of run " + run,
                            "severity",
                            kind == Kind.CRITICAL ? "CRITICAL" : i % 2 == 0 ? "MEDIUM" : "HIGH",
                            "regulatoryProfile",
                            "DEMO"));
            HttpResponse<String> created = null;
            for (int attempt = 0; created == null; attempt++) {
                int to = (replica + attempt) % 2;
                try {
                    created = send(post(intake(to), "/complaints", "complaint-submitter", body)
                            .header("Idempotency-Key", "load-" + run + "-" + i)
                            .build());
                    if (created.statusCode() != 201) {
                        throw new IllegalStateException(
                                "complaint " + i + ": " + created.statusCode() + " " + created.body());
                    }
                    acceptedBy.incrementAndGet(to);
                } catch (IOException e) {
                    retry(attempt, "complaint " + i, e);
                }
            }
            String caseId =
                    EventCodec.mapper().readTree(created.body()).path("id").asText();
            kinds.put(caseId, kind);
            String ack = "{\"kind\":\"ACKNOWLEDGEMENT\",\"text\":\"We have your complaint\"}";
            once(
                    replica + 1,
                    "/complaints/" + caseId + "/interactions",
                    "agent",
                    ack,
                    base -> get(base, "/complaints/" + caseId + "/interactions", "agent")
                            .body()
                            .contains("ACKNOWLEDGEMENT"));
            if (kind == Kind.RESOLVED) {
                resolve(caseId, replica);
            }
            return new Accepted(caseId, kind, replica);
        }

        void resolve(String caseId, int replica) throws Exception {
            once(
                    replica,
                    "/complaints/" + caseId + "/resolution",
                    "agent",
                    "{\"summary\":\"Refunded, with an apology\",\"outcome\":\"UPHELD\","
                            + "\"rootCause\":\"INCORRECT_CHARGES\",\"productGroup\":\"CURRENT_ACCOUNT\"}",
                    base -> EventCodec.mapper()
                            .readTree(
                                    get(base, "/complaints/" + caseId, "agent").body())
                            .path("status")
                            .asText()
                            .equals("RESOLVED"));
        }

        /** POSTs to intake once in effect: after a failure, asks whether it was done before sending it again. */
        private void once(int replica, String path, String role, String body, Done done) throws Exception {
            for (int attempt = 0; ; attempt++) {
                try {
                    HttpResponse<String> r = send(post(intake((replica + attempt) % 2), path, role, body)
                            .build());
                    if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
                    }
                    return;
                } catch (IOException e) {
                    retry(attempt, "POST " + path, e);
                    if (done(replica + attempt + 1, done)) {
                        return;
                    }
                }
            }
        }

        /** Asks an intake replica, or the other one when it does not answer, whether the request took effect. */
        private boolean done(int replica, Done done) throws Exception {
            try {
                return done.check(intake(replica));
            } catch (IOException e) {
                return done.check(intake(replica + 1));
            }
        }

        /** Before the next attempt: the other replica at once, a pause once both have failed, ten attempts in all. */
        private void retry(int attempt, String what, IOException e) throws InterruptedException {
            if (attempt >= 10) {
                throw new IllegalStateException(what + ": no intake replica answered", e);
            }
            retried.incrementAndGet();
            if (attempt % 2 == 1) {
                Thread.sleep(200);
            }
        }

        /** One intake replica's own address, by any index (taken modulo two). */
        private String intake(int replica) {
            return system.baseUrl("intake", Math.floorMod(replica, 2));
        }

        HttpRequest.Builder post(String base, String path, String role, String json) {
            return HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + tokens.get(role))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
        }

        HttpResponse<String> get(String base, String path, String role) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + tokens.get(role))
                    .build());
        }

        HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        int accepted() {
            return acceptedBy.get(0) + acceptedBy.get(1);
        }

        int acceptedBy(int replica) {
            return acceptedBy.get(replica);
        }

        int retries() {
            return retried.get();
        }

        /** Whether a request took effect, asked of the intake replica at {@code base}. */
        interface Done {
            boolean check(String base) throws Exception;
        }
    }

    /**
     * A supervisors' desk: twice a second it reads the open escalations (from either escalation
     * replica, through the front) and acknowledges the load's, and resolves a CRITICAL case once its
     * escalation is acknowledged. What fails is tried again next time, except a refusal.
     */
    static final class Desk {
        private final Load load;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "supervisors-desk");
            t.setDaemon(true);
            return t;
        });
        private final Set<String> resolved = ConcurrentHashMap.newKeySet();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

        Desk(Load load) {
            this.load = load;
        }

        void start() {
            timer.scheduleWithFixedDelay(this::round, 500, 500, TimeUnit.MILLISECONDS);
        }

        void stop() {
            timer.shutdownNow();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        private void round() {
            try {
                String escalation = system.baseUrl("escalation");
                for (JsonNode e : list(escalation, "OPEN")) {
                    if (load.kinds.containsKey(e.path("caseId").asText())) {
                        HttpResponse<String> r = load.send(load.post(
                                        escalation,
                                        "/escalations/" + e.path("id").asText() + "/acknowledge",
                                        "supervisor",
                                        "")
                                .build());
                        if (r.statusCode() != 200 && r.statusCode() != 409 && r.statusCode() < 500) {
                            failures.add(
                                    "acknowledge " + e.path("id").asText() + ": " + r.statusCode() + " " + r.body());
                        }
                    }
                }
                for (JsonNode e : list(escalation, "ACKNOWLEDGED")) {
                    String caseId = e.path("caseId").asText();
                    if (load.kinds.get(caseId) == Kind.CRITICAL && !resolved.contains(caseId)) {
                        load.resolve(caseId, caseId.hashCode());
                        resolved.add(caseId);
                    }
                }
            } catch (IOException e) {
                // a replica went away under the request: the next round asks again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }

        private List<JsonNode> list(String base, String status) throws Exception {
            List<JsonNode> items = new ArrayList<>();
            String after = null;
            do {
                HttpResponse<String> r = load.get(
                        base,
                        "/escalations?status=" + status + "&limit=200"
                                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)),
                        "supervisor");
                if (r.statusCode() != 200) {
                    throw new IOException("GET /escalations answered " + r.statusCode());
                }
                JsonNode page = EventCodec.mapper().readTree(r.body());
                page.path("items").forEach(items::add);
                after = page.path("next").isTextual() ? page.path("next").asText() : null;
            } while (after != null);
            return items;
        }
    }
}
