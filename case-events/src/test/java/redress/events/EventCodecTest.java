package redress.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import redress.events.payload.*;

class EventCodecTest {

    static final UUID CASE = UUID.fromString("0b7f1f5e-2d7c-4d8e-9c61-2f7c3d9a1e01");
    static final String REF = "CMP-2026-000042";
    static final Instant T = Instant.parse("2026-11-23T10:15:30.123456Z");
    static final UUID X = UUID.fromString("5a1c9e4b-7d3f-4a7e-8b2c-1d9e0f6a7b8c");
    static final Actor AGENT = new Actor(ActorType.AGENT, "agent-7");

    /** One sample payload of every event type, so that adding a type without a sample fails. */
    static Stream<CasePayload> samples() {
        return Stream.of(
                ComplaintReceived.builder()
                        .caseId(CASE)
                        .reference(REF)
                        .customer(new Customer("C-1", "Ada Lovelace", "ada@example.org", "+44 20 7946 0000"))
                        .channel(Channel.EMAIL)
                        .category("billing")
                        .product("current account")
                        .summary("Charged twice")
                        .description("Two debits on the 3rd")
                        .severity(Severity.HIGH)
                        .level(EscalationLevel.AGENT)
                        .status(CaseStatus.OPEN)
                        .regulatoryProfile("UK_FCA_DISP")
                        .externalReference("EXT-9")
                        .receivedAt(T.minus(java.time.Duration.ofDays(3)))
                        .earlierComplaints(2)
                        .registeredAt(T)
                        .build(),
                new CaseAcknowledged(CASE, REF, X, T),
                new InteractionRecorded(
                        CASE,
                        REF,
                        X,
                        InteractionKind.CUSTOMER_CONTACT,
                        "Called back",
                        Direction.OUTBOUND,
                        Channel.PHONE,
                        CustomerTone.ANGRY,
                        null,
                        null,
                        T,
                        null,
                        null,
                        null),
                new InteractionRecorded(
                        CASE,
                        REF,
                        X,
                        InteractionKind.HOLDING_RESPONSE,
                        "We need two more weeks",
                        Direction.OUTBOUND,
                        null,
                        null,
                        null,
                        null,
                        T,
                        T.plus(java.time.Duration.ofDays(14)),
                        null,
                        java.util.List.of("REASONS_FOR_DELAY", "EXPECTED_DATE", "FOS_REFERRAL_RIGHT")),
                new InteractionRecorded(
                        CASE,
                        REF,
                        X,
                        InteractionKind.SUBSTANTIVE_RESPONSE,
                        "Refund issued",
                        Direction.OUTBOUND,
                        null,
                        null,
                        null,
                        null,
                        T,
                        null,
                        "CLOSED",
                        java.util.List.of("CFPB_PORTAL_RESPONSE", "CFPB_STEPS_TAKEN")),
                new InteractionRecorded(
                        CASE,
                        REF,
                        X,
                        InteractionKind.CUSTOMER_CONTACT,
                        "As I already told you, that is your fault",
                        Direction.OUTBOUND,
                        Channel.EMAIL,
                        CustomerTone.UPSET,
                        null,
                        null,
                        T,
                        null,
                        null,
                        null,
                        null,
                        new InteractionRecorded.Coaching(
                                2,
                                "en",
                                java.util.List.of(new InteractionRecorded.Finding(
                                        "blame-customer",
                                        "BLAME",
                                        "your fault",
                                        "Say what you will do next, not whose fault it was",
                                        30,
                                        40)),
                                java.util.List.of("Acknowledge how the customer feels before anything else"))),
                new CaseStatusChanged(CASE, REF, CaseStatus.OPEN, CaseStatus.IN_PROGRESS, "picked up"),
                new CaseAssigned(
                        CASE,
                        REF,
                        null,
                        EscalationLevel.SUPERVISOR,
                        Severity.HIGH,
                        "agent-7",
                        EscalationLevel.AGENT,
                        "Customer angry after two missed call-backs",
                        X),
                new CaseResolved(CASE, REF, CaseStatus.IN_PROGRESS, "Refunded the second debit", Severity.HIGH, T),
                new CaseClosed(CASE, REF, "no reply in 14 days"),
                new CaseReopened(CASE, REF, CaseStatus.CLOSED, "customer not satisfied", X),
                new PromiseMade(CASE, REF, X, X, "Call back by Friday", T),
                new PromiseKept(CASE, REF, X, T, T),
                new CustomerErased(CASE, REF, "C-1", "C-1:1", "REQUEST", "customer asked (GDPR Art. 17)", T),
                new LetterDrafted(
                        CASE, REF, X, "UK_FCA_DISP", "en", 1, java.util.List.of("FOS_REFERRAL_RIGHT"), "ab12", T),
                new LetterApproved(CASE, REF, X, "agent-7", "ab12", T),
                new RedressRecorded(
                        CASE,
                        REF,
                        X,
                        RedressStage.PAID,
                        RedressKind.REFUND,
                        12_345L,
                        "GBP",
                        "second debit",
                        T,
                        null,
                        T.minusSeconds(86_400)),
                new RedressRecorded(
                        CASE, REF, X, RedressStage.PAID, RedressKind.REFUND, -12_345L, "GBP", "paid twice", T, X, T),
                new VulnerabilityChanged(CASE, REF, true),
                new VulnerabilityRead(CASE, REF, T),
                new CaseReviewed(CASE, REF, X, "kept the customer informed", "escalated late", "DISCLOSURE", 1, T),
                new AbuseReported(
                        CASE,
                        REF,
                        X,
                        X,
                        CustomerTone.THREATENING,
                        "agent-7",
                        EscalationLevel.MANAGER,
                        java.util.List.of(X),
                        true,
                        T),
                new AbuseReportAcknowledged(CASE, REF, X, "agent-7", "supervisor-1", T),
                new AgentDebriefed(CASE, REF, X, "agent-7", "agent-7", true, 15, true, T),
                EscalationRaised.builder()
                        .escalationId(X)
                        .caseId(CASE)
                        .reference(REF)
                        .level(EscalationLevel.TEAM_LEAD)
                        .previousLevel(EscalationLevel.AGENT)
                        .severity(Severity.HIGH)
                        .reason("tone rising")
                        .ruleId("tone-rising")
                        .ruleVersion(3)
                        .briefing("Briefing")
                        .responseDueAt(T)
                        .action(EscalationAction.WATCH)
                        .build(),
                new EscalationAcknowledged(X, CASE, REF, EscalationLevel.TEAM_LEAD, "lead-1"),
                new EscalationResolved(X, CASE, REF, EscalationLevel.TEAM_LEAD, "handled"),
                new FollowupScheduled(X, CASE, REF, "SATISFACTION", T, null),
                new FollowupDue(X, CASE, REF, "SATISFACTION", T),
                new FollowupCompleted(X, CASE, REF, "SATISFACTION", false, 2, "still waiting"),
                new DeadlineWarning(X, CASE, REF, "FINAL_RESPONSE", "UK_FCA_DISP", T),
                new DeadlineBreached(X, CASE, REF, "FINAL_RESPONSE", "UK_FCA_DISP", T),
                new PromiseMissed(CASE, REF, X, T),
                new DeadlineCorrected(
                        X, CASE, REF, "FINAL_RESPONSE", "UK_FCA_DISP", T, T, "BREACHED", X, "met before it was due"),
                new PromiseCorrected(CASE, REF, X, T, T, X, "kept before it was due"),
                new ProgressUpdateDue(X, CASE, REF, "UK_FCA_DISP", T.minus(java.time.Duration.ofDays(7)), T, 5),
                new CustomerNoticeSuggested(
                        X,
                        CASE,
                        REF,
                        X,
                        EscalationLevel.TEAM_LEAD,
                        "Your complaint CMP-2026-000042 has been passed to our team leader.",
                        T),
                new CaseReclassified(
                        CASE,
                        REF,
                        "DEFAULT",
                        "UK_FCA_DISP",
                        null,
                        "credit card",
                        "billing",
                        "billing",
                        "a regulated product after all"),
                new RedressRecorded(
                        CASE,
                        REF,
                        X,
                        RedressStage.PAID,
                        RedressKind.REFUND,
                        12550L,
                        "GBP",
                        "second debit refunded",
                        T,
                        null,
                        null),
                new AuditAccessed(
                        CASE, REF, "case-history", java.util.Map.of("caseId", CASE.toString()), 12L, 3L, 97L, null, T));
    }

    /** A version of the complaint taxonomy: no case, so the fixed subject (not among the case samples). */
    static final TaxonomyChanged TAXONOMY = new TaxonomyChanged(
            null,
            null,
            2,
            1,
            java.util.List.of(new TaxonomyChanged.ProductGroup(
                    "CREDIT_CARD", "Credit cards", "BANKING_AND_CREDIT_CARDS", "CREDIT")),
            java.util.List.of(new TaxonomyChanged.RootCause("OTHER", "Other", "OTHER")),
            "a new product group",
            T);

    /** A version of the coaching lexicon: no case either, its own fixed subject. */
    static final CoachingLexiconChanged LEXICON = new CoachingLexiconChanged(
            null,
            null,
            2,
            1,
            "en",
            java.util.List.of(
                    new CoachingLexiconChanged.Entry(
                            "negative-problem",
                            "EXISTENCE",
                            "NEGATIVE",
                            java.util.List.of("problem"),
                            null,
                            "Name the matter itself",
                            java.util.List.of("no problem"),
                            2,
                            null),
                    new CoachingLexiconChanged.Entry(
                            "negative-cant",
                            "SUBSTITUTION",
                            "NEGATIVE",
                            null,
                            java.util.Map.of("can't", "what I can do is"),
                            null,
                            null,
                            null,
                            null),
                    new CoachingLexiconChanged.Entry(
                            "over-apology",
                            "OCCURRENCE",
                            "OVER_APOLOGY",
                            java.util.List.of("sorry", "apologise"),
                            null,
                            "Apologise once, sincerely",
                            null,
                            null,
                            2)),
            java.util.List.of("not", "never"),
            new CoachingLexiconChanged.DeEscalation(
                    java.util.List.of("ANGRY", "ABUSIVE"), java.util.List.of("Acknowledge the feeling first")),
            "over-apology at three",
            T);

    @Test
    void aLexiconVersionRoundTripsUnderItsOwnSubjectAndBelongsToNoCase() {
        CaseEvent e = CaseEvent.create("/intake-service", AGENT, null, LEXICON, null, null);
        CaseEvent back = EventCodec.decode(EventCodec.encode(e));
        assertEquals(e, back);
        assertEquals(LEXICON, EventCodec.payload(back).orElseThrow());
        assertEquals(CoachingLexiconChanged.SUBJECT, back.subject());
        CloudEvent ce = new JsonFormat().deserialize(EventCodec.encodeBytes(e));
        assertEquals("redress.coaching.lexicon-changed", ce.getType());
        assertEquals(CoachingLexiconChanged.SUBJECT, ce.getSubject());
        assertNull(ce.getExtension("customerid"));
        assertTrue(Subjects.belongsToNoCase(LEXICON));
    }

    /** An interaction.recorded written before coaching existed reads with no coaching. */
    @Test
    void anInteractionWithoutCoachingReadsAsNotChecked() {
        InteractionRecorded before = new InteractionRecorded(
                CASE, REF, X, InteractionKind.NOTE, "n", null, null, null, null, null, T, null, null, null);
        String json = EventCodec.encode(event(before));
        assertFalse(json.contains("coaching"), json);
        assertNull(EventCodec.payload(EventCodec.decode(json), InteractionRecorded.class)
                .coaching());
    }

    @Test
    void aTaxonomyVersionRoundTripsUnderItsOwnSubjectAndTheSdkReadsIt() {
        CaseEvent e = CaseEvent.create("/intake-service", AGENT, null, TAXONOMY, null, null);
        CaseEvent back = EventCodec.decode(EventCodec.encode(e));
        assertEquals(e, back);
        assertEquals(TAXONOMY, EventCodec.payload(back).orElseThrow());
        assertEquals(TaxonomyChanged.SUBJECT, back.subject());
        CloudEvent ce = new JsonFormat().deserialize(EventCodec.encodeBytes(e));
        assertEquals("redress.taxonomy.changed", ce.getType());
        assertEquals(TaxonomyChanged.SUBJECT, ce.getSubject());
        assertNull(ce.getExtension("customerid"));
        assertTrue(Subjects.belongsToNoCase(TAXONOMY));
    }

    /** A read across the log: no case, so the fixed subject, and no customer. */
    static final AuditAccessed LOG_READ = new AuditAccessed(
            null,
            null,
            "export",
            java.util.Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-12-01T00:00:00Z"),
            1000L,
            1L,
            1000L,
            null,
            T);

    static CaseEvent event(CasePayload p) {
        return CaseEvent.create("/intake-service", AGENT, "C-1", p, null, null);
    }

    @Test
    void everyTypeHasASample() {
        Set<EventType> sampled = EnumSet.noneOf(EventType.class);
        samples().forEach(p -> sampled.add(EventType.of(p)));
        sampled.add(EventType.of(TAXONOMY));
        sampled.add(EventType.of(LEXICON));
        assertEquals(EnumSet.allOf(EventType.class), sampled);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsEveryType(CasePayload payload) {
        CaseEvent e = event(payload);
        CaseEvent back = EventCodec.decode(EventCodec.encode(e));
        assertEquals(e, back);
        assertEquals(payload, EventCodec.payload(back).orElseThrow());
        assertEquals(CASE, back.caseId());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void cloudEventsSdkReadsWhatWeWrite(CasePayload payload) {
        CaseEvent e = event(payload);
        EventFormat format = new JsonFormat();
        CloudEvent ce = format.deserialize(EventCodec.encodeBytes(e));

        assertEquals("1.0", ce.getSpecVersion().toString());
        assertEquals(e.id().toString(), ce.getId());
        assertEquals(e.type(), ce.getType());
        assertEquals(URI.create("/intake-service"), ce.getSource());
        assertEquals(CASE.toString(), ce.getSubject());
        assertEquals(e.time(), ce.getTime().toInstant());
        assertEquals("application/json", ce.getDataContentType());
        assertEquals(URI.create(EventType.of(payload).dataschema()), ce.getDataSchema());
        assertEquals("agent", ce.getExtension("actortype"));
        assertEquals("agent-7", ce.getExtension("actorid"));
        assertEquals("C-1", ce.getExtension("customerid"));
        assertEquals(e.correlationid().toString(), ce.getExtension("correlationid"));
        assertNull(ce.getExtension("causationid"), "absent, not null, when there is no cause");
        String data = new String(ce.getData().toBytes(), StandardCharsets.UTF_8);
        assertTrue(data.contains("\"caseId\":\"" + CASE + "\""), data);
        assertTrue(data.contains("\"reference\":\"" + REF + "\""), data);
    }

    @Test
    void weReadWhatTheSdkWrites() {
        ObjectNode data = EventCodec.mapper().valueToTree(new CaseClosed(CASE, REF, "done"));
        CloudEvent ce = CloudEventBuilder.v1()
                .withId(X.toString())
                .withType("redress.case.closed")
                .withSource(URI.create("/intake-service"))
                .withSubject(CASE.toString())
                .withTime(OffsetDateTime.of(2026, 11, 23, 10, 0, 0, 0, ZoneOffset.ofHours(1)))
                .withDataSchema(URI.create("redress:case.closed/1"))
                .withDataContentType("application/json")
                .withExtension("actortype", "system")
                .withExtension("actorid", "followup-service")
                .withExtension("customerid", "C-1")
                .withData(data.toString().getBytes(StandardCharsets.UTF_8))
                .build();
        String json = new String(new JsonFormat().serialize(ce), StandardCharsets.UTF_8);

        CaseEvent e = EventCodec.decode(json);
        assertEquals(X, e.id());
        assertEquals(Instant.parse("2026-11-23T09:00:00Z"), e.time());
        assertEquals(new Actor(ActorType.SYSTEM, "followup-service"), e.actor());
        assertEquals(new CaseClosed(CASE, REF, "done"), EventCodec.payload(e, CaseClosed.class));
    }

    @Test
    void aReadAcrossTheLogHasTheLogSubjectAndRoundTripsThroughTheSdk() {
        Actor auditor = new Actor(ActorType.AGENT, "auditor-1");
        CaseEvent e = CaseEvent.create("/audit-service", auditor, null, LOG_READ, null, null);
        assertEquals("audit-log", e.subject());
        assertEquals("redress.audit.accessed", e.type());
        assertEquals("redress:audit.accessed/1", e.dataschema());
        assertEquals(Topics.AUDIT_ACCESS, EventType.AUDIT_ACCESSED.topic());

        // Ours -> SDK: a valid CloudEvent, with the subject and actor as attributes.
        EventFormat format = new JsonFormat();
        CloudEvent ce = format.deserialize(EventCodec.encodeBytes(e));
        assertEquals("audit-log", ce.getSubject());
        assertEquals(URI.create("/audit-service"), ce.getSource());
        assertEquals(URI.create("redress:audit.accessed/1"), ce.getDataSchema());
        assertEquals("agent", ce.getExtension("actortype"));
        assertEquals("auditor-1", ce.getExtension("actorid"));
        assertNull(ce.getExtension("customerid"));

        // SDK -> ours: what the SDK writes back decodes to the same event and payload.
        CaseEvent back = EventCodec.decode(new String(format.serialize(ce), StandardCharsets.UTF_8));
        assertEquals(e, back);
        assertEquals(LOG_READ, EventCodec.payload(back, AuditAccessed.class));
        assertThrows(IllegalArgumentException.class, back::caseId, "audit-log is not a case id");
    }

    @Test
    void causationAndCorrelationCarryOver() {
        CaseEvent cause = event(new CaseClosed(CASE, REF, "done"));
        CaseEvent effect = CaseEvent.create(
                "/intake-service",
                Actor.system("intake-service"),
                "C-1",
                new CaseReopened(CASE, REF, CaseStatus.CLOSED, "unhappy", X),
                null,
                cause);
        assertEquals(cause.id(), effect.causationid());
        assertEquals(cause.correlationid(), effect.correlationid());
        CloudEvent ce = new JsonFormat().deserialize(EventCodec.encodeBytes(effect));
        assertEquals(cause.id().toString(), ce.getExtension("causationid"));
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = EventCodec.encode(event(new CaseClosed(CASE, REF, "done")))
                .replace("\"data\":{", "\"futureattr\":\"x\",\"data\":{\"addedLater\":{\"deep\":[1,2]},");
        CaseEvent e = EventCodec.decode(json);
        assertEquals(new CaseClosed(CASE, REF, "done"), EventCodec.payload(e, CaseClosed.class));
    }

    @Test
    void unknownTypeDecodesButHasNoPayload() {
        String json = EventCodec.encode(event(new CaseClosed(CASE, REF, "done")))
                .replace("redress.case.closed", "redress.case.archived")
                .replace("redress:case.closed/1", "redress:case.archived/1");
        CaseEvent e = EventCodec.decode(json);
        assertEquals("redress.case.archived", e.type());
        assertTrue(e.eventType().isEmpty());
        assertFalse(EventCodec.payload(e).isPresent());
        assertEquals("done", e.data().get("reason").asText(), "the data is kept whole");
    }

    @Test
    void newerSchemaVersionIsRefused() {
        String json = EventCodec.encode(event(new CaseClosed(CASE, REF, "done")))
                .replace("redress:case.closed/1", "redress:case.closed/2");
        CaseEvent e = EventCodec.decode(json);
        EventFormatException ex = assertThrows(EventFormatException.class, () -> EventCodec.payload(e));
        assertTrue(ex.getMessage().contains("version 2"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{",
                "[]",
                "42",
                "\"text\"",
                "{\"specversion\":\"1.0\"}",
                "{\"specversion\":\"0.3\",\"id\":\"5a1c9e4b-7d3f-4a7e-8b2c-1d9e0f6a7b8c\",\"type\":\"t\",\"source\":\"/s\",\"subject\":\"x\",\"time\":\"2026-11-23T10:00:00Z\",\"data\":{}}",
                "{\"specversion\":\"1.0\",\"id\":\"not-a-uuid\",\"type\":\"t\",\"source\":\"/s\",\"subject\":\"x\",\"time\":\"2026-11-23T10:00:00Z\",\"data\":{}}",
                "{\"specversion\":\"1.0\",\"id\":\"5a1c9e4b-7d3f-4a7e-8b2c-1d9e0f6a7b8c\",\"type\":\"t\",\"source\":\"/s\",\"subject\":\"x\",\"time\":\"yesterday\",\"data\":{}}",
                "{\"specversion\":\"1.0\",\"id\":\"5a1c9e4b-7d3f-4a7e-8b2c-1d9e0f6a7b8c\",\"type\":\"t\",\"source\":\"/s\",\"subject\":\"x\",\"time\":\"2026-11-23T10:00:00Z\",\"data\":\"str\"}",
                "{\"specversion\":\"1.0\",\"id\":\"5a1c9e4b-7d3f-4a7e-8b2c-1d9e0f6a7b8c\",\"type\":\"t\",\"source\":\"/s\",\"subject\":\"x\",\"time\":\"2026-11-23T10:00:00Z\",\"actortype\":\"robot\",\"data\":{}}",
            })
    void malformedRecordsAreFormatErrors(String json) {
        assertThrows(EventFormatException.class, () -> EventCodec.decode(json));
    }

    @Test
    void badPayloadOfAKnownTypeIsAFormatError() {
        String json = EventCodec.encode(
                        event(new CaseStatusChanged(CASE, REF, CaseStatus.OPEN, CaseStatus.IN_PROGRESS, null)))
                .replace("\"IN_PROGRESS\"", "\"TELEPORTED\"");
        CaseEvent e = EventCodec.decode(json);
        assertThrows(EventFormatException.class, () -> EventCodec.payload(e));
    }

    @Test
    void topicsIncludeDeadLetters() {
        assertTrue(Topics.all()
                .containsAll(java.util.List.of(
                        "case.events",
                        "case.events.dlq",
                        "case.escalations.dlq",
                        "case.followups.dlq",
                        "audit.checkpoints",
                        "audit.access",
                        "audit.access.dlq")));
        assertEquals(Topics.CASE_EVENTS, EventType.COMPLAINT_RECEIVED.topic());
        assertEquals("redress:complaint.received/2", EventType.COMPLAINT_RECEIVED.dataschema());
    }

    /** Version 1 of complaint.received (customer in clear) is still read; version 3 is not. */
    @Test
    void complaintReceivedVersionOneIsStillRead() {
        ComplaintReceived clear = (ComplaintReceived) samples().findFirst().orElseThrow();
        String v2 = EventCodec.encode(event(clear));
        CaseEvent v1 = EventCodec.decode(v2.replace("redress:complaint.received/2", "redress:complaint.received/1"));
        assertEquals(
                "Ada Lovelace",
                EventCodec.payload(v1, ComplaintReceived.class).customer().name());
        CaseEvent v3 = EventCodec.decode(v2.replace("redress:complaint.received/2", "redress:complaint.received/3"));
        assertThrows(EventFormatException.class, () -> EventCodec.payload(v3));
    }

    @Test
    void aSealedCustomerRoundTripsAsCiphertextAndOpensWithItsKeyOnly() {
        javax.crypto.SecretKey key = CustomerSeal.newKey();
        Customer sealed = CustomerSeal.seal(new Customer("C-1", "Ada Lovelace", "ada@example.org", null), "C-1:1", key);
        ComplaintReceived sample = (ComplaintReceived) samples().findFirst().orElseThrow();
        ComplaintReceived p = ComplaintReceived.builder()
                .caseId(CASE)
                .reference(REF)
                .customer(sealed)
                .channel(sample.channel())
                .category(sample.category())
                .product(sample.product())
                .summary(sample.summary())
                .description(sample.description())
                .severity(sample.severity())
                .level(sample.level())
                .status(sample.status())
                .regulatoryProfile(sample.regulatoryProfile())
                .externalReference(sample.externalReference())
                .receivedAt(sample.receivedAt())
                .registeredAt(sample.registeredAt())
                .build();
        String json = EventCodec.encode(event(p));
        // Whole values: a fragment as short as "Ada" can turn up by chance in the ciphertext.
        assertFalse(json.contains("Lovelace"), json);
        assertFalse(json.contains("ada@example.org"), json);
        assertTrue(json.contains("\"kid\":\"C-1:1\""), json);
        Customer back = EventCodec.payload(EventCodec.decode(json), ComplaintReceived.class)
                .customer();
        assertTrue(back.isSealed());
        assertEquals(new Customer("C-1", "Ada Lovelace", "ada@example.org", null), CustomerSeal.open(back, key));
        assertThrows(IllegalArgumentException.class, () -> CustomerSeal.open(back, CustomerSeal.newKey()));
        Customer moved = new Customer("C-2", null, null, null, back.enc(), "C-2:1", back.iv(), back.ct());
        assertThrows(
                IllegalArgumentException.class, () -> CustomerSeal.open(moved, key), "the key id is authenticated");
        javax.crypto.SecretKey kek = CustomerSeal.newKey();
        byte[] wrapped = CustomerSeal.wrap(key, kek, "C-1:1");
        assertEquals(key, CustomerSeal.unwrap(wrapped, kek, "C-1:1"));
        assertThrows(IllegalArgumentException.class, () -> CustomerSeal.unwrap(wrapped, kek, "C-1:2"));
    }

    /** Events written before registeredAt and the response fields existed still read, with those absent. */
    @Test
    void payloadsWrittenBeforeTheNewFieldsStillRead() {
        ComplaintReceived received = (ComplaintReceived) samples().findFirst().orElseThrow();
        ObjectNode old = (ObjectNode) EventCodec.mapper().valueToTree(received);
        old.remove("registeredAt");
        ComplaintReceived back = EventCodec.mapper().convertValue(old, ComplaintReceived.class);
        assertNull(back.registeredAt());
        assertEquals(received.receivedAt(), back.receivedAt());

        String contact = EventCodec.encode(event(new InteractionRecorded(
                CASE, REF, X, InteractionKind.NOTE, "n", null, null, null, null, null, T, null, null, null)));
        assertFalse(
                contact.contains("expectedBy") || contact.contains("responseStatus") || contact.contains("elements"),
                "absent fields are left out: " + contact);
        InteractionRecorded note = EventCodec.payload(EventCodec.decode(contact), InteractionRecorded.class);
        assertNull(note.expectedBy());
        assertNull(note.elements());
    }

    /** An escalation raised before actions existed reads with no action, which means HAND_OVER. */
    @Test
    void anEscalationRaisedWithoutAnActionIsAHandOver() {
        EscalationRaised watch = (EscalationRaised)
                samples().filter(EscalationRaised.class::isInstance).findFirst().orElseThrow();
        assertEquals(EscalationAction.WATCH, watch.effectiveAction());
        ObjectNode old = (ObjectNode) EventCodec.mapper().valueToTree(watch);
        assertFalse(old.has("effectiveAction"), "only the components are written: " + old);
        old.remove("action");
        EscalationRaised back = EventCodec.mapper().convertValue(old, EscalationRaised.class);
        assertNull(back.action());
        assertEquals(EscalationAction.HAND_OVER, back.effectiveAction());
        assertEquals(watch.briefing(), back.briefing());
    }
}
