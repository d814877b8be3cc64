package redress.localrun.faults;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.Topics;
import redress.localrun.scenario.ApiClient;
import redress.localrun.scenario.DifficultCustomer.Endpoints;

/**
 * What the fault suite checks after each fault, from the load's own record and through the public
 * contract only: the case topics (read from the beginning, kept up to date between checks), the
 * audit export (read on from where the last check stopped), intake's case list, each case's
 * deadlines at followup-service, and {@code GET /audit/verify}.
 *
 * <p>For every accepted complaint whose script has finished: its case exists; its
 * {@code complaint.received}, one {@code interaction.recorded} per accepted interaction, its
 * {@code case.acknowledged} and {@code case.resolved} are on {@code case.events}; every event of the
 * case on the three topics has its audit entry; its three deadlines exist; a CRITICAL one was
 * escalated to SUPERVISOR. Doubled: a second {@code complaint.received}, acknowledgement or
 * resolution, more interactions than were sent, a second escalation to the same level, a second
 * {@code case.assigned} for one escalation, a second breach of one deadline, an event with two audit
 * entries. A breach is false when it was announced before its due time, or when the load's record
 * shows the deadline met in time (the answer to what met it arrived before the due time) and no
 * {@code deadline.corrected} withdrew it.
 *
 * <p>The reading is this class's; the judging ({@link #judge}) takes what was read as plain data
 * ({@link Observed}), so that its tests can plant each kind of fault in an otherwise good record.
 */
final class Checks implements AutoCloseable {

    /** One event of a case as it is on its topic (each id once, however often it was delivered). */
    record Event(String caseId, String id, String type, Instant time, JsonNode data) {

        /** The event a record's value holds (its type without {@code redress.}); null for a value that is not an event. */
        static Event of(String value) {
            JsonNode e;
            try {
                e = value == null ? null : ApiClient.JSON.readTree(value);
            } catch (IOException | RuntimeException ex) {
                return null; // a poison record
            }
            if (e == null || !e.path("subject").isTextual() || !e.path("id").isTextual()) {
                return null;
            }
            String type = e.path("type").asText();
            type = type.startsWith("redress.") ? type.substring("redress.".length()) : type;
            return new Event(
                    e.path("subject").asText(),
                    e.path("id").asText(),
                    type,
                    instant(e.path("time").asText()),
                    e.path("data"));
        }
    }

    /**
     * What one check saw, as plain data: {@link #judge} needs nothing else, so that it can be fed a
     * record with a fault planted in it without a running system.
     *
     * @param events            case id to the case's events on the three topics, by event id
     * @param auditEntries      event id to the number of audit entries holding it
     * @param readAt            when the topics began to be read (an event younger than {@link #AUDIT_LAG}
     *                          then is not yet expected in the audit log)
     * @param intakeCases       the ids of the cases at intake, or null when its case list did not answer
     * @param auditProblem      why the audit export could not be read, or null
     * @param deadlinesComplete the cases seen with all three of their own deadlines at followup-service
     * @param verify            the answer of {@code GET /audit/verify}, or null when there was no 200 answer
     */
    record Observed(
            Map<String, Map<String, Event>> events,
            Map<String, Integer> auditEntries,
            Instant readAt,
            Set<String> intakeCases,
            String auditProblem,
            Set<String> deadlinesComplete,
            JsonNode verify) {}

    /** What one check found; each problem names the case and what is wrong. */
    record Findings(
            Set<String> lost,
            Set<String> doubled,
            Set<String> falseBreaches,
            boolean verified,
            String verify,
            int checked) {
        boolean holds() {
            return lost.isEmpty() && doubled.isEmpty() && falseBreaches.isEmpty() && verified;
        }
    }

    private static final List<String> OWN_DEADLINES = List.of("ACKNOWLEDGEMENT", "FIRST_RESPONSE", "FINAL_RESPONSE");
    /** An event younger than this when the topics were read is not yet expected in the audit log. */
    private static final Duration AUDIT_LAG = Duration.ofSeconds(10);

    private final Endpoints urls;
    private final ApiClient api;
    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<String, Map<String, Event>> byCase = new HashMap<>();
    private final Map<String, List<String>> deadLetteredKeys = new HashMap<>();
    /** Event id to the number of audit entries holding it. */
    private final Map<String, Integer> auditEntries = new HashMap<>();

    private final Set<Long> auditSeqs = new HashSet<>();
    private Instant auditReadUpTo;
    private final Set<String> deadlinesSeen = ConcurrentHashMap.newKeySet();
    private final ExecutorService readers = Executors.newFixedThreadPool(4);

    Checks(Endpoints urls, Map<String, String> tokens, String bootstrapServers) {
        this.urls = urls;
        this.api = new ApiClient(tokens, Duration.ofSeconds(120));
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-checks-" + UUID.randomUUID());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<String> topics = new ArrayList<>(Topics.CASE_TOPICS);
        Topics.CASE_TOPICS.forEach(t -> topics.add(Topics.dlq(t)));
        topics.add(Topics.dlq(Topics.AUDIT_ACCESS));
        for (String t : topics) {
            consumer.partitionsFor(t).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Checks {@code settled} (complaints whose script has finished) again every 5 s until nothing is
     * missing or {@code atMost} has passed; what is doubled or falsely breached stays so, and is
     * reported from the last check.
     */
    Findings settle(Collection<Load.Complaint> settled, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        Findings f;
        while (true) {
            f = check(settled);
            if (f.lost().isEmpty() && f.verified() || System.nanoTime() > deadline) {
                return f;
            }
            Thread.sleep(5_000);
        }
    }

    /** The dead-letter topic's records with this key, so far. */
    int deadLettered(String topic, String key) {
        return (int) deadLetteredKeys.getOrDefault(Topics.dlq(topic), List.of()).stream()
                .filter(key::equals)
                .count();
    }

    /** Reads the topics up to their current ends (a broker that does not answer leaves them as they were). */
    void readTopics() {
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(20));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    index(r);
                }
            }
        } catch (TimeoutException e) {
            // the broker is not answering yet: the next check reads on
        }
    }

    private Findings check(Collection<Load.Complaint> settled) throws InterruptedException {
        Instant readAt = Instant.now();
        readTopics();
        String auditProblem = readAudit();
        Set<String> cases = intakeCases();
        checkDeadlines(settled);
        JsonNode verify = verify();
        return judge(settled, new Observed(byCase, auditEntries, readAt, cases, auditProblem, deadlinesSeen, verify));
    }

    /** What is lost, doubled or falsely breached among {@code settled}, given what was observed. */
    static Findings judge(Collection<Load.Complaint> settled, Observed seen) {
        Set<String> lost = new LinkedHashSet<>();
        Set<String> doubled = new LinkedHashSet<>();
        Set<String> falseBreaches = new LinkedHashSet<>();
        if (seen.auditProblem() != null) {
            lost.add("audit export: " + seen.auditProblem());
        }
        if (seen.intakeCases() == null) {
            lost.add("intake's case list did not answer");
        }
        Set<String> cases = seen.intakeCases() == null ? Set.of() : seen.intakeCases();
        for (Load.Complaint c : settled) {
            judge(c, cases, seen, lost, doubled, falseBreaches);
        }
        JsonNode verify = seen.verify();
        boolean verified = verify != null && verify.path("ok").asBoolean();
        return new Findings(
                lost,
                doubled,
                falseBreaches,
                verified,
                verify == null ? "no answer" : verify.toString(),
                settled.size());
    }

    private static void judge(
            Load.Complaint c,
            Set<String> cases,
            Observed seen,
            Set<String> lost,
            Set<String> doubled,
            Set<String> falseBreaches) {
        String k = c.id + " (" + c.severity + ", " + c.profile + ")";
        Map<String, Event> events = seen.events().getOrDefault(c.id, Map.of());
        Map<String, List<Event>> byType = new HashMap<>();
        events.values()
                .forEach(e ->
                        byType.computeIfAbsent(e.type(), t -> new ArrayList<>()).add(e));
        if (!cases.contains(c.id)) {
            lost.add(k + ": no case at intake");
        }
        count(k, byType, "complaint.received", 1, 1, lost, doubled);
        count(
                k,
                byType,
                "interaction.recorded",
                c.interactionsAccepted,
                c.interactionsAccepted + c.interactionsUnknown,
                lost,
                doubled);
        count(k, byType, "case.acknowledged", c.acknowledgedAt != null ? 1 : 0, 1, lost, doubled);
        count(
                k,
                byType,
                "case.resolved",
                c.resolvedAt != null ? 1 : 0,
                c.resolvedAt != null || c.resolutionUnknown ? 1 : 0,
                lost,
                doubled);
        for (Event e : events.values()) {
            int entries = seen.auditEntries().getOrDefault(e.id(), 0);
            if (entries == 0
                    && e.time() != null
                    && e.time().isAfter(seen.readAt().minus(AUDIT_LAG))) {
                continue; // too recent to ask of the log yet (the next check asks)
            }
            if (entries == 0) {
                lost.add(k + ": no audit entry for " + e.type() + " " + e.id());
            } else if (entries > 1) {
                doubled.add(k + ": " + entries + " audit entries for " + e.type() + " " + e.id());
            }
        }
        Map<String, Integer> raisedTo = new HashMap<>();
        for (Event e : byType.getOrDefault("escalation.raised", List.of())) {
            raisedTo.merge(e.data().path("level").asText(), 1, Integer::sum);
        }
        raisedTo.forEach((level, n) -> {
            if (n > 1) {
                doubled.add(k + ": " + n + " escalations to " + level);
            }
        });
        if ("CRITICAL".equals(c.severity) && !raisedTo.containsKey("SUPERVISOR")) {
            lost.add(k + ": never escalated to SUPERVISOR");
        }
        Map<String, Integer> assignedFor = new HashMap<>();
        for (Event e : byType.getOrDefault("case.assigned", List.of())) {
            if (e.data().hasNonNull("escalationId")) {
                assignedFor.merge(e.data().path("escalationId").asText(), 1, Integer::sum);
            }
        }
        assignedFor.forEach((escalation, n) -> {
            if (n > 1) {
                doubled.add(k + ": " + n + " case.assigned for escalation " + escalation);
            }
        });
        if (!seen.deadlinesComplete().contains(c.id)) {
            lost.add(k + ": its deadlines are not all at followup-service");
        }
        breaches(c, k, byType, doubled, falseBreaches);
    }

    private static void count(
            String k,
            Map<String, List<Event>> byType,
            String type,
            int atLeast,
            int atMost,
            Set<String> lost,
            Set<String> doubled) {
        int n = byType.getOrDefault(type, List.of()).size();
        if (n < atLeast) {
            lost.add(k + ": " + n + " " + type + " of " + atLeast);
        } else if (n > atMost) {
            doubled.add(k + ": " + n + " " + type + " (at most " + atMost + ")");
        }
    }

    private static void breaches(
            Load.Complaint c,
            String k,
            Map<String, List<Event>> byType,
            Set<String> doubled,
            Set<String> falseBreaches) {
        Set<String> withdrawn = new HashSet<>();
        for (Event e : byType.getOrDefault("deadline.corrected", List.of())) {
            withdrawn.add(e.data().path("withdrawnEventId").asText());
            if ("BREACHED".equals(e.data().path("withdrawnState").asText())) {
                withdrawn.add(e.data().path("deadlineId").asText());
            }
        }
        Map<String, Integer> perDeadline = new HashMap<>();
        for (Event b : byType.getOrDefault("deadline.breached", List.of())) {
            String deadlineId = b.data().path("deadlineId").asText();
            if (perDeadline.merge(deadlineId, 1, Integer::sum) > 1) {
                doubled.add(k + ": deadline " + deadlineId + " breached more than once");
            }
            if (withdrawn.contains(b.id()) || withdrawn.contains(deadlineId)) {
                continue;
            }
            String kind = b.data().path("kind").asText();
            Instant due = instant(b.data().path("dueAt").asText());
            if (due == null) {
                continue;
            }
            if (b.time() != null && b.time().isBefore(due)) {
                falseBreaches.add(k + ": " + kind + " breached at " + b.time() + ", before its due time " + due);
                continue;
            }
            Instant met = metAt(c, kind, due, byType);
            if (met != null && !met.isAfter(due)) {
                falseBreaches.add(k + ": " + kind + " due " + due + " breached, but met at " + met);
            }
        }
    }

    /** When the load's record says it did what meets a deadline of this kind (the answer's arrival), or null. */
    private static Instant metAt(Load.Complaint c, String kind, Instant due, Map<String, List<Event>> byType) {
        switch (kind) {
            case "ACKNOWLEDGEMENT":
                return c.acknowledgedAt;
            case "FIRST_RESPONSE":
                // DEMO: the acknowledgement meets the first response; the firm's own levels: the first outbound
                // contact.
                return "DEMO".equals(c.profile) ? c.acknowledgedAt : c.outboundAt;
            case "FINAL_RESPONSE":
                return c.resolvedAt;
            default:
                // An escalation's response deadline: the escalation whose response was due then.
                for (Event e : byType.getOrDefault("escalation.raised", List.of())) {
                    if (due.equals(instant(e.data().path("responseDueAt").asText()))) {
                        return c.escalationsAcknowledged.get(
                                e.data().path("escalationId").asText());
                    }
                }
                return null;
        }
    }

    private void index(ConsumerRecord<String, String> r) {
        if (r.topic().endsWith(Topics.DLQ_SUFFIX)) {
            deadLetteredKeys.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r.key());
            return;
        }
        Event e = Event.of(r.value());
        if (e != null) {
            byCase.computeIfAbsent(e.caseId(), s -> new LinkedHashMap<>()).putIfAbsent(e.id(), e);
        }
    }

    /** Reads the audit export on from the last entry read (entries of the same instant again, by seq once). */
    private String readAudit() {
        String path = "/audit/export"
                + (auditReadUpTo == null
                        ? ""
                        : "?from=" + URLEncoder.encode(auditReadUpTo.toString(), StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = api.get(urls.audit(), path, "auditor");
            if (r.statusCode() != 200) {
                return "GET " + path + " answered " + r.statusCode();
            }
            for (String line : r.body().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode l = ApiClient.JSON.readTree(line);
                if (!"entry".equals(l.path("kind").asText())
                        || !auditSeqs.add(l.path("seq").asLong())) {
                    continue;
                }
                JsonNode entry = ApiClient.JSON.readTree(l.path("canonical").asText());
                auditEntries.merge(entry.path("eventId").asText(), 1, Integer::sum);
                Instant recorded = instant(entry.path("recordedAt").asText());
                if (recorded != null && (auditReadUpTo == null || recorded.isAfter(auditReadUpTo))) {
                    auditReadUpTo = recorded;
                }
            }
            return null;
        } catch (IOException e) {
            return "GET " + path + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The ids of every case at intake, page by page; null when intake does not answer. */
    private Set<String> intakeCases() {
        Set<String> cases = new HashSet<>();
        String after = null;
        try {
            do {
                HttpResponse<String> r = api.get(
                        urls.intake(),
                        "/complaints?limit=200"
                                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)),
                        "agent");
                if (r.statusCode() != 200) {
                    return null;
                }
                JsonNode page = ApiClient.JSON.readTree(r.body());
                page.path("items").forEach(i -> cases.add(i.path("id").asText()));
                after = page.path("next").isTextual() ? page.path("next").asText() : null;
            } while (after != null);
            return cases;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Asks followup-service for the deadlines of each complaint not yet seen with all three of its own. */
    private void checkDeadlines(Collection<Load.Complaint> settled) throws InterruptedException {
        List<Future<?>> pending = new ArrayList<>();
        for (Load.Complaint c : settled) {
            if (deadlinesSeen.contains(c.id)) {
                continue;
            }
            pending.add(readers.submit(() -> {
                try {
                    HttpResponse<String> r = api.get(urls.followup(), "/cases/" + c.id + "/deadlines", "agent");
                    if (r.statusCode() == 200) {
                        Set<String> kinds = new HashSet<>();
                        for (JsonNode d : ApiClient.JSON.readTree(r.body()).path("items")) {
                            if (!d.path("escalationId").isTextual()) {
                                kinds.add(d.path("kind").asText());
                            }
                        }
                        if (kinds.containsAll(OWN_DEADLINES)) {
                            deadlinesSeen.add(c.id);
                        }
                    }
                } catch (IOException e) {
                    // not answering: checked again next time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // counted as not seen
            }
        }
    }

    private JsonNode verify() {
        try {
            HttpResponse<String> r = api.get(urls.audit(), "/audit/verify", "auditor");
            return r.statusCode() == 200 ? ApiClient.JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Instant instant(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
        consumer.close(Duration.ofSeconds(5));
    }
}
