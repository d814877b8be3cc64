package redress.audit.returns;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.auditverifier.AuditExportVerifier;
import redress.auditverifier.ReturnVerifier;
import redress.events.Actor;
import redress.events.ActorType;
import redress.events.CaseEvent;
import redress.events.CaseStatus;
import redress.events.Channel;
import redress.events.EscalationLevel;
import redress.events.Outcome;
import redress.events.RedressKind;
import redress.events.RedressStage;
import redress.events.Severity;
import redress.events.payload.CasePayload;
import redress.events.payload.CaseReclassified;
import redress.events.payload.CaseReopened;
import redress.events.payload.CaseResolved;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.Customer;
import redress.events.payload.RedressRecorded;
import redress.events.payload.TaxonomyChanged;
import redress.testsupport.KafkaTestClient;

/**
 * Issue 29: the FCA complaints return of the first half of 2026, computed by audit-service from the
 * log up to a checkpoint it signs, and recomputed by audit-verifier from an export. 235 complaints
 * in fifteen cohorts; every expected figure below is worked out by hand from the cohorts (the
 * comment on each cohort says where it counts), not by calling the code under test.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "supervisor"})
class ReturnsTest {

    static final KafkaTestClient KAFKA = KafkaTestClient.forTests();
    static final Actor INTAKE = new Actor(ActorType.INTEGRATION, "crm");
    static final Actor AGENT = new Actor(ActorType.AGENT, "agent-7");
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    final List<CaseEvent> events = new ArrayList<>();
    UUID lastOfM;

    static Instant t(String s) {
        return Instant.parse(s);
    }

    void emit(Actor actor, String customer, CasePayload p, Instant time) {
        events.add(CaseEvent.create("/intake-service", actor, customer, p, null, null, time));
    }

    UUID received(String profile, Instant at) {
        UUID id = UUID.randomUUID();
        emit(
                INTAKE,
                "C-" + id,
                ComplaintReceived.builder()
                        .caseId(id)
                        .reference("CMP-" + id)
                        .customer(new Customer("C-" + id, "Ada", null, null))
                        .channel(Channel.EMAIL)
                        .category("Billing")
                        .product("Account")
                        .summary("Charged twice")
                        .severity(Severity.MEDIUM)
                        .level(EscalationLevel.AGENT)
                        .status(CaseStatus.OPEN)
                        .regulatoryProfile(profile)
                        .receivedAt(at)
                        .registeredAt(at)
                        .build(),
                at);
        return id;
    }

    void resolved(UUID id, Instant at, Outcome outcome, String group) {
        emit(
                AGENT,
                "C-" + id,
                new CaseResolved(
                        id,
                        "CMP-" + id,
                        CaseStatus.IN_PROGRESS,
                        "done",
                        Severity.MEDIUM,
                        at,
                        outcome,
                        "OTHER",
                        group,
                        1),
                at);
    }

    void reopened(UUID id, Instant at) {
        emit(AGENT, "C-" + id, new CaseReopened(id, "CMP-" + id, CaseStatus.RESOLVED, "not fixed", null), at);
    }

    void reclassified(UUID id, Instant at, String from, String to, String group) {
        emit(
                AGENT,
                "C-" + id,
                new CaseReclassified(
                        id,
                        "CMP-" + id,
                        from,
                        to,
                        "Account",
                        "Account",
                        "Billing",
                        "Billing",
                        "corrected",
                        null,
                        group),
                at);
    }

    /** A redress line recorded at {@code at}, as lines were before they could be dated; its id. */
    UUID redress(UUID id, Instant at, RedressStage stage, long minor, String currency) {
        return redress(id, at, null, stage, minor, currency);
    }

    /** A redress line that took place at {@code occurredAt} and was recorded at {@code at}; its id. */
    UUID redress(UUID id, Instant at, Instant occurredAt, RedressStage stage, long minor, String currency) {
        UUID line = UUID.randomUUID();
        emit(
                AGENT,
                "C-" + id,
                new RedressRecorded(
                        id, "CMP-" + id, line, stage, RedressKind.REFUND, minor, currency, null, at, null, occurredAt),
                at);
        return line;
    }

    /** The taxonomy both data sets use: each product group's FCA grouping and ASIC product, the cause's ASIC issue. */
    void taxonomy() {
        emit(
                AGENT,
                null,
                new TaxonomyChanged(
                        null,
                        null,
                        1,
                        null,
                        List.of(
                                group("CURRENT_ACCOUNT", "BANKING_AND_CREDIT_CARDS", "DEPOSIT_TAKING"),
                                group("CREDIT_CARD", "BANKING_AND_CREDIT_CARDS", "CREDIT"),
                                group("MORTGAGE", "HOME_FINANCE", "HOME_LENDING"),
                                group("HOME_INSURANCE", "INSURANCE_AND_PURE_PROTECTION", "GENERAL_INSURANCE"),
                                group("PERSONAL_PENSION", "DECUMULATION_AND_PENSIONS", "SUPERANNUATION"),
                                group("INVESTMENT", "INVESTMENTS", "INVESTMENTS")),
                        List.of(new TaxonomyChanged.RootCause("OTHER", "Other", "OTHER_ISSUE")),
                        "test taxonomy",
                        t("2025-10-01T00:00:00Z")),
                t("2025-10-01T00:00:00Z"));
    }

    static TaxonomyChanged.ProductGroup group(String code, String fca, String asic) {
        return new TaxonomyChanged.ProductGroup(code, code.toLowerCase(), fca, asic);
    }

    /** The fifteen cohorts; n cases each. */
    void dataSet() {
        taxonomy();
        // A, 40 (BANKING): received Mon 2 Feb, resolved Wed 4 Feb (by the 3rd business day, Thu 5),
        // upheld in full, £10.00 paid each in the period.
        for (int i = 0; i < 40; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-02-02T10:00:00Z"));
            resolved(id, t("2026-02-04T15:00:00Z"), Outcome.UPHELD, "CURRENT_ACCOUNT");
            redress(id, t("2026-02-05T10:00:00Z"), RedressStage.PAID, 1000, "GBP");
        }
        // B, 30 (HOME_FINANCE): received Mon 2 Mar, resolved 20 Mar (after 3 business days, within 8 weeks), not
        // upheld.
        for (int i = 0; i < 30; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-03-02T09:00:00Z"));
            resolved(id, t("2026-03-20T12:00:00Z"), Outcome.NOT_UPHELD, "MORTGAGE");
        }
        // C, 25 (INSURANCE), PSD profile: received 5 Jan, resolved 1 Apr (8 weeks were up on 2 Mar),
        // upheld in part, £25.50 paid each; an offer is not a payment.
        for (int i = 0; i < 25; i++) {
            UUID id = received("UK_FCA_DISP_PSD", t("2026-01-05T09:00:00Z"));
            redress(id, t("2026-03-01T09:00:00Z"), RedressStage.OFFERED, 9999, "GBP");
            resolved(id, t("2026-04-01T09:00:00Z"), Outcome.PARTLY_UPHELD, "HOME_INSURANCE");
            redress(id, t("2026-04-02T09:00:00Z"), RedressStage.PAID, 2550, "GBP");
        }
        // D, 20 (DECUMULATION, by a reclassification in the period): received Nov 2025, never resolved:
        // outstanding at the start and at the end.
        for (int i = 0; i < 20; i++) {
            UUID id = received("UK_FCA_DISP", t("2025-11-03T10:00:00Z"));
            reclassified(id, t("2026-02-10T10:00:00Z"), "UK_FCA_DISP", "UK_FCA_DISP", "PERSONAL_PENSION");
        }
        // E, 20 (INVESTMENTS): received 1 Dec 2025 (outstanding at the start), resolved 15 Jan (within 8 weeks),
        // upheld. Paid £1.00 each on 31 Dec 2025 and recorded on 2 Jan: not paid in the period; paid £3.00 each at
        // 20:00 (BST) on 30 Jun and recorded the next morning: paid in the period (fca-return/3 counts a line at
        // its occurredAt).
        for (int i = 0; i < 20; i++) {
            UUID id = received("UK_FCA_DISP", t("2025-12-01T10:00:00Z"));
            resolved(id, t("2026-01-15T10:00:00Z"), Outcome.UPHELD, "INVESTMENT");
            redress(id, t("2026-01-02T09:00:00Z"), t("2025-12-31T15:00:00Z"), RedressStage.PAID, 100, "GBP");
            redress(id, t("2026-07-01T08:00:00Z"), t("2026-06-30T19:00:00Z"), RedressStage.PAID, 300, "GBP");
        }
        // F, 15 (BANKING): resolved the next day, reopened, resolved again on 5 May (after 8 weeks),
        // not upheld: closed once, on its last resolution.
        for (int i = 0; i < 15; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-02-02T10:00:00Z"));
            resolved(id, t("2026-02-03T10:00:00Z"), Outcome.UPHELD, "CREDIT_CARD");
            reopened(id, t("2026-02-10T10:00:00Z"));
            resolved(id, t("2026-05-05T10:00:00Z"), Outcome.NOT_UPHELD, null);
        }
        // G, 10 (BANKING): resolved, then reopened on 1 Jun and still open at the end.
        for (int i = 0; i < 10; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-03-02T09:00:00Z"));
            resolved(id, t("2026-03-03T09:00:00Z"), Outcome.UPHELD, "CURRENT_ACCOUNT");
            reopened(id, t("2026-06-01T09:00:00Z"));
        }
        // H, 10: reclassified out of the FCA's profiles: not in the return, nor its redress.
        for (int i = 0; i < 10; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-02-02T10:00:00Z"));
            reclassified(id, t("2026-02-05T10:00:00Z"), "UK_FCA_DISP", "DEFAULT", null);
            resolved(id, t("2026-02-06T10:00:00Z"), null, null);
            redress(id, t("2026-02-06T10:00:00Z"), RedressStage.PAID, 777, "GBP");
        }
        // I, 10 (BANKING): received DEFAULT Wed 1 Apr, reclassified into the FCA's profile, resolved Thu 9 Apr:
        // Good Friday and Easter Monday are not business days, so the 3rd was Wed 8: after 3 days; upheld in part.
        for (int i = 0; i < 10; i++) {
            UUID id = received("DEFAULT", t("2026-04-01T09:00:00Z"));
            reclassified(id, t("2026-04-02T09:00:00Z"), "DEFAULT", "UK_FCA_DISP", "CREDIT_CARD");
            resolved(id, t("2026-04-09T09:00:00Z"), Outcome.PARTLY_UPHELD, null);
        }
        // J, 10 (HOME_FINANCE): received Thu 2 Apr, resolved Wed 8 Apr: within 3 business days only because of
        // the two bank holidays (the 3rd is Thu 9); upheld.
        for (int i = 0; i < 10; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-04-02T09:00:00Z"));
            resolved(id, t("2026-04-08T15:00:00Z"), Outcome.UPHELD, "MORTGAGE");
        }
        // K, 10 + 10: received 30 Jun 23:30 and 1 Jul 00:30 London time (BST): the first in the period, with no
        // product group (UNCLASSIFIED, outstanding at the end); the second not in it at all.
        for (int i = 0; i < 10; i++) {
            received("UK_FCA_DISP", t("2026-06-30T22:30:00Z"));
            received("UK_FCA_DISP", t("2026-06-30T23:30:00Z"));
        }
        // L, 10 (INVESTMENTS): received 1 Jun, resolved 10 Jul (after the period, with redress then): outstanding at
        // the end.
        for (int i = 0; i < 10; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-06-01T09:00:00Z"));
            reclassified(id, t("2026-06-02T09:00:00Z"), "UK_FCA_DISP", "UK_FCA_DISP", "INVESTMENT");
            resolved(id, t("2026-07-10T09:00:00Z"), Outcome.UPHELD, null);
            redress(id, t("2026-07-10T10:00:00Z"), RedressStage.PAID, 500, "GBP");
        }
        // N, 5 (HOME_FINANCE): received Mon 2 Mar 10:00, resolved Thu 5 Mar 18:30 (GMT): on the third business day,
        // but after its close of business (17:00; DISP 1.5.1R): after 3 business days, within 8 weeks; not upheld.
        for (int i = 0; i < 5; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-03-02T10:00:00Z"));
            resolved(id, t("2026-03-05T18:30:00Z"), Outcome.NOT_UPHELD, "MORTGAGE");
        }
        // O, 5 (HOME_FINANCE): received Mon 2 Mar 10:00 GMT, resolved Mon 27 Apr 11:30 BST: more than 56 x 24 hours
        // later (the clocks went forward), but by the end of the eighth week's last day (DISP 1.6.2R: "by the end of
        // eight weeks after its receipt", as followup-service's deadline has it): within 8 weeks; not upheld.
        for (int i = 0; i < 5; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-03-02T10:00:00Z"));
            resolved(id, t("2026-04-27T10:30:00Z"), Outcome.NOT_UPHELD, "MORTGAGE");
        }
        // M, 5 (BANKING): received Mon 11 May, resolved the next day, upheld, €12.34 paid each.
        for (int i = 0; i < 5; i++) {
            UUID id = received("UK_FCA_DISP", t("2026-05-11T09:00:00Z"));
            lastOfM = id;
            resolved(id, t("2026-05-12T09:00:00Z"), Outcome.UPHELD, "CURRENT_ACCOUNT");
            redress(id, t("2026-05-13T09:00:00Z"), RedressStage.PAID, 1234, "EUR");
        }
        // The last of M's payment recorded a second time, and that line reversed: paid once.
        UUID twice = redress(lastOfM, t("2026-05-14T09:00:00Z"), RedressStage.PAID, 1234, "EUR");
        emit(
                AGENT,
                "C-" + lastOfM,
                new RedressRecorded(
                        lastOfM,
                        "CMP-" + lastOfM,
                        UUID.randomUUID(),
                        RedressStage.PAID,
                        RedressKind.REFUND,
                        -1234,
                        "EUR",
                        "recorded twice",
                        t("2026-05-15T09:00:00Z"),
                        twice,
                        t("2026-05-15T09:00:00Z")),
                t("2026-05-15T09:00:00Z"));
    }

    /** The figures, by hand from the cohorts above. */
    static Map<String, Map<String, Object>> expected() {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        // start, opened, closed, ≤3bd, ≤8w, >8w, upheld, full, part, not, no outcome, end; redress paid
        rows.put(
                "BANKING_AND_CREDIT_CARDS",
                row(0, 80, 70, 45, 10, 15, 55, 45, 10, 15, 0, 10, Map.of("EUR", 6170L, "GBP", 40000L)));
        rows.put("HOME_FINANCE", row(0, 50, 50, 10, 40, 0, 10, 10, 0, 40, 0, 0, Map.of()));
        rows.put("INSURANCE_AND_PURE_PROTECTION", row(0, 25, 25, 0, 0, 25, 25, 0, 25, 0, 0, 0, Map.of("GBP", 63750L)));
        rows.put("DECUMULATION_AND_PENSIONS", row(20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, Map.of()));
        rows.put("INVESTMENTS", row(20, 10, 20, 0, 20, 0, 20, 20, 0, 0, 0, 10, Map.of("GBP", 6000L)));
        rows.put("UNCLASSIFIED", row(0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, Map.of()));
        rows.put("TOTAL", row(40, 175, 165, 55, 70, 40, 110, 75, 35, 55, 0, 50, Map.of("EUR", 6170L, "GBP", 109750L)));
        return rows;
    }

    static Map<String, Object> row(
            long start,
            long opened,
            long closed,
            long w3,
            long w8,
            long a8,
            long upheld,
            long full,
            long part,
            long not,
            long none,
            long end,
            Map<String, Long> paid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outstandingAtStart", start);
        m.put("opened", opened);
        m.put("closed", closed);
        m.put("closedWithin3BusinessDays", w3);
        m.put("closedAfter3BusinessDaysWithin8Weeks", w8);
        m.put("closedAfter8Weeks", a8);
        m.put("upheld", upheld);
        m.put("upheldInFull", full);
        m.put("upheldInPart", part);
        m.put("notUpheld", not);
        m.put("closedWithoutOutcome", none);
        m.put("outstandingAtEnd", end);
        m.put("redressPaidMinor", new java.util.TreeMap<>(paid));
        return m;
    }

    static Map<String, Map<String, Object>> figures(JsonNode ret) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (JsonNode r : ret.path("rows")) {
            Map<String, Object> m = new LinkedHashMap<>();
            r.fields().forEachRemaining(f -> {
                if (f.getKey().equals("redressPaidMinor")) {
                    Map<String, Long> paid = new java.util.TreeMap<>();
                    f.getValue()
                            .fields()
                            .forEachRemaining(
                                    p -> paid.put(p.getKey(), p.getValue().asLong()));
                    m.put(f.getKey(), paid);
                } else if (!f.getKey().equals("productGroup")) {
                    m.put(f.getKey(), f.getValue().asLong());
                }
            });
            rows.put(r.path("productGroup").asText(), m);
        }
        return rows;
    }

    long logged(List<CaseEvent> es) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM audit_entry WHERE event_id = ANY (?)")) {
            ps.setArray(
                    1, c.createArrayOf("uuid", es.stream().map(CaseEvent::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long recordedReturnReads() throws Exception {
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM audit_entry WHERE event_type = 'redress.audit.accessed' "
                                + "AND convert_from(canonical, 'UTF8') LIKE '%\"operation\":\"return\"%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long returnsStored() throws Exception {
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM regulatory_return")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theFcaReturnIsComputedFromTheLogAndRecomputedByTheVerifierAndATamperedExportIsRefused() throws Exception {
        dataSet();
        long complaints = events.stream()
                .filter(e -> e.type().equals("redress.complaint.received"))
                .count();
        assertEquals(235, complaints);
        events.forEach(e -> KAFKA.send(e.eventType().orElseThrow().topic(), e));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> logged(events) == events.size());

        String body = given().contentType("application/json")
                .body("{\"family\":\"FCA\",\"from\":\"2026-01-01\",\"to\":\"2026-07-01\"}")
                .post("/returns")
                .then()
                .statusCode(201)
                .header("Location", startsWith("/returns/"))
                .body("family", is("FCA"))
                .body("zone", is("Europe/London"))
                .body("definitions.version", is("fca-return/3"))
                .body("definitions.closeOfBusiness", is("17:00:00"))
                .body("definitions.holidays", hasItems("2026-04-03", "2026-04-06"))
                .body("definitions.taxonomyVersions", hasItem(1))
                .body("checkpoint.seq", greaterThan(0))
                .body("checkpoint.signature", not(emptyOrNullString()))
                .extract()
                .asString();
        JsonNode ret = JSON.readTree(body);
        assertEquals(expected(), figures(ret), body);
        given().get("/returns/" + ret.path("id").asText())
                .then()
                .statusCode(200)
                .body("rows", hasSize(7));
        given().get("/returns")
                .then()
                .statusCode(200)
                .body("id", hasItem(ret.path("id").asText()));

        // The verifier, from an export and the trusted key alone.
        String pem = given().get("/audit/public-key").then().extract().asString();
        String export =
                given().get("/audit/export").then().statusCode(200).extract().asString();
        ReturnVerifier.Result v = ReturnVerifier.verify(export, body, AuditExportVerifier.publicKey(pem));
        assertTrue(v.ok(), v.problems().toString());
        assertEquals(expected(), v.recomputed());
        // The same from the command line, with the three files an auditor keeps.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("return");
        java.nio.file.Files.writeString(dir.resolve("export.ndjson"), export);
        java.nio.file.Files.writeString(dir.resolve("return.json"), body);
        java.nio.file.Files.writeString(dir.resolve("key.pem"), pem);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        int exit = ReturnVerifier.run(
                new String[] {
                    dir.resolve("export.ndjson").toString(),
                    dir.resolve("return.json").toString(),
                    dir.resolve("key.pem").toString()
                },
                new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, printed.toString(StandardCharsets.UTF_8));
        assertTrue(printed.toString(StandardCharsets.UTF_8).startsWith("OK: every figure of the FCA return"));

        // One outcome changed in the export and the whole chain re-hashed after it: the export holds
        // together, but not with the checkpoint the return was signed at.
        String tampered = rehashed(export, "\"outcome\":\"NOT_UPHELD\"", "\"outcome\":\"UPHELD\"");
        assertTrue(
                AuditExportVerifier.verify(withoutCheckpoints(tampered), AuditExportVerifier.publicKey(pem))
                        .ok(),
                "the forger's export verifies on its own");
        ReturnVerifier.Result forged =
                ReturnVerifier.verify(withoutCheckpoints(tampered), body, AuditExportVerifier.publicKey(pem));
        assertFalse(forged.ok());
        assertTrue(
                forged.problems().stream().anyMatch(p -> p.contains("is not the one the return's checkpoint signed")),
                forged.problems().toString());
        // And a return whose figure was changed is refused against an honest export.
        String edited = body.replace("\"opened\":80,", "\"opened\":81,");
        ReturnVerifier.Result wrong = ReturnVerifier.verify(export, edited, AuditExportVerifier.publicKey(pem));
        assertEquals(
                List.of("BANKING_AND_CREDIT_CARDS.opened: the return says 81, the log gives 80"), wrong.problems());

        // A return made under fca-return/1 is recomputed by that version's rules (the resolution's day against
        // the third business day, 56 x 24 hours): relabelled so, these figures differ by cohorts N and O alone.
        String asFirst = body.replace("\"version\":\"fca-return/3\"", "\"version\":\"fca-return/1\"");
        List<String> first = ReturnVerifier.verify(export, asFirst, AuditExportVerifier.publicKey(pem))
                .problems();
        assertEquals(
                java.util.Set.of(
                        "HOME_FINANCE.closedWithin3BusinessDays: the return says 10, the log gives 15",
                        "HOME_FINANCE.closedAfter3BusinessDaysWithin8Weeks: the return says 40, the log gives 30",
                        "HOME_FINANCE.closedAfter8Weeks: the return says 0, the log gives 5",
                        "TOTAL.closedWithin3BusinessDays: the return says 55, the log gives 60",
                        "TOTAL.closedAfter3BusinessDaysWithin8Weeks: the return says 70, the log gives 60",
                        "TOTAL.closedAfter8Weeks: the return says 40, the log gives 45",
                        "INVESTMENTS.redressPaidMinor: the return says {GBP=6000}, the log gives {GBP=2000}",
                        "TOTAL.redressPaidMinor: the return says {EUR=6170, GBP=109750}, the log gives {EUR=6170, GBP=105750}"),
                java.util.Set.copyOf(first),
                first.toString());
        // Under fca-return/2 a redress line counted at its recordedAt: relabelled so, cohort E's payments move.
        String asSecond = body.replace("\"version\":\"fca-return/3\"", "\"version\":\"fca-return/2\"");
        assertEquals(
                java.util.Set.of(
                        "INVESTMENTS.redressPaidMinor: the return says {GBP=6000}, the log gives {GBP=2000}",
                        "TOTAL.redressPaidMinor: the return says {EUR=6170, GBP=109750}, the log gives {EUR=6170, GBP=105750}"),
                java.util.Set.copyOf(ReturnVerifier.verify(export, asSecond, AuditExportVerifier.publicKey(pem))
                        .problems()));
        assertEquals(
                List.of("the return's definitions (fca-return/3) have no closeOfBusiness time"),
                ReturnVerifier.verify(
                                export,
                                body.replace("\"closeOfBusiness\":\"17:00:00\",", ""),
                                AuditExportVerifier.publicKey(pem))
                        .problems());
        String unknown = body.replace("\"version\":\"fca-return/3\"", "\"version\":\"fca-return/9\"");
        assertEquals(
                List.of("the return's definitions version fca-return/9 is not one this verifier knows"),
                ReturnVerifier.verify(export, unknown, AuditExportVerifier.publicKey(pem))
                        .problems());
    }

    /**
     * Another producer's events, logged as sent, whose times are not times: each counts as absent, so
     * the return is made, its figures as if the fields were missing, and the verifier agrees.
     */
    @Test
    void aTimeThatIsNotATimeCountsAsAbsentAndStopsNoReturn() throws Exception {
        taxonomy();
        // Received Mon 3 Mar 2025, resolved the next day, £7.00 paid on the 5th: H1 2025, which no other
        // data set of this class touches.
        UUID id = received("UK_FCA_DISP", t("2025-03-03T10:00:00Z"));
        resolved(id, t("2025-03-04T10:00:00Z"), Outcome.UPHELD, "CURRENT_ACCOUNT");
        redress(id, t("2025-03-05T10:00:00Z"), t("2025-03-05T09:00:00Z"), RedressStage.PAID, 700, "GBP");
        for (CaseEvent e : events) {
            ObjectNode data = (ObjectNode) e.data();
            switch (e.type()) {
                case "redress.complaint.received" -> data.put("receivedAt", "3 March");
                case "redress.case.resolved" -> data.put("resolvedAt", "2025-03-04 10:00");
                case "redress.redress.recorded" -> data.put("occurredAt", "last Tuesday");
                default -> {}
            }
        }
        events.forEach(e -> KAFKA.send(e.eventType().orElseThrow().topic(), e));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> logged(events) == events.size());

        String body = given().contentType("application/json")
                .body("{\"family\":\"FCA\",\"from\":\"2025-01-01\",\"to\":\"2025-07-01\"}")
                .post("/returns")
                .then()
                .statusCode(201)
                .extract()
                .asString();
        // At the entries' times: received, resolved within 3 business days, upheld, paid when recorded.
        assertEquals(
                row(0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, Map.of("GBP", 700L)),
                figures(JSON.readTree(body)).get("BANKING_AND_CREDIT_CARDS"),
                body);
        String pem = given().get("/audit/public-key").then().extract().asString();
        String export =
                given().get("/audit/export").then().statusCode(200).extract().asString();
        ReturnVerifier.Result v = ReturnVerifier.verify(export, body, AuditExportVerifier.publicKey(pem));
        assertTrue(v.ok(), v.problems().toString());
    }

    /**
     * A payment typed in after a return was made, dated in its period: the return no longer holds
     * what the log gives, and says so, figure by figure; an ASIC report likewise, complaint by
     * complaint. H2 2024, which no other data set of this class touches.
     */
    @Test
    void aReturnSaysWhichFiguresALateEventChanged() throws Exception {
        taxonomy();
        UUID uk = received("UK_FCA_DISP", t("2024-09-02T09:00:00Z"));
        resolved(uk, t("2024-09-03T09:00:00Z"), Outcome.UPHELD, "CURRENT_ACCOUNT");
        UUID au = received("AU_ASIC_RG271", t("2024-09-02T00:00:00Z"));
        resolved(au, t("2024-09-20T00:00:00Z"), Outcome.UPHELD, "CREDIT_CARD");
        events.forEach(e -> KAFKA.send(e.eventType().orElseThrow().topic(), e));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> logged(events) == events.size());
        String fca = madeFor("FCA");
        String asic = madeFor("ASIC_IDR");
        given().get("/returns/" + fca + "/changes")
                .then()
                .statusCode(200)
                .body("current", is(true))
                .body("differences", empty())
                .body("definitions", is("fca-return/3"));
        given().get("/returns/" + asic + "/changes").then().statusCode(200).body("current", is(true));

        // £7.00 and A$7.00 paid on the period's last day, recorded afterwards.
        events.clear();
        redress(uk, t("2025-01-02T09:00:00Z"), t("2024-12-31T15:00:00Z"), RedressStage.PAID, 700, "GBP");
        redress(au, t("2025-01-02T09:00:00Z"), t("2024-12-31T03:00:00Z"), RedressStage.PAID, 700, "AUD");
        events.forEach(e -> KAFKA.send(e.eventType().orElseThrow().topic(), e));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> logged(events) == events.size());
        JsonNode changes = JSON.readTree(given().get("/returns/" + fca + "/changes")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertFalse(changes.path("current").asBoolean());
        assertTrue(
                changes.path("headSeq").asLong() > changes.path("checkpointSeq").asLong(), changes.toString());
        List<String> lines = new ArrayList<>();
        changes.path("differences").forEach(d -> lines.add(d.asText()));
        assertTrue(
                lines.contains("BANKING_AND_CREDIT_CARDS.redressPaidMinor: the return says {}, the log now gives"
                        + " {\"GBP\":700}"),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("TOTAL.redressPaidMinor: ")), lines.toString());
        assertEquals(2, lines.size(), lines.toString());
        given().get("/returns/" + asic + "/changes")
                .then()
                .statusCode(200)
                .body("current", is(false))
                .body(
                        "differences",
                        contains("complaint " + au + ".compensationPaidAud: the return says nothing, the log now gives"
                                + " 7.00"));

        given().get("/returns/" + UUID.randomUUID() + "/changes").then().statusCode(404);
        given().get("/returns/not-an-id/changes").then().statusCode(400);
        // A return made under earlier definitions is not compared: its figures could differ by them alone.
        // (Returns are never changed: a copy stored as if made under fca-return/2.)
        UUID older = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO regulatory_return (id, family, period_from, "
                        + "period_to, checkpoint_seq, document, created_by, created_at) SELECT ?, family, period_from, "
                        + "period_to, checkpoint_seq, replace(replace(document, 'fca-return/3', 'fca-return/2'), ?, ?), "
                        + "created_by, created_at FROM regulatory_return WHERE id = ?")) {
            ps.setObject(1, older);
            ps.setString(2, fca);
            ps.setString(3, older.toString());
            ps.setObject(4, UUID.fromString(fca));
            assertEquals(1, ps.executeUpdate());
        }
        given().get("/returns/" + older + "/changes")
                .then()
                .statusCode(422)
                .body("type", is("urn:redress:problem:older-definitions"));
        // Each comparison read the log: recorded as an auditor's read (the four answered above).
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> accessReads("return-changes") >= 4);
    }

    long accessReads(String operation) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM audit_entry WHERE event_type = 'redress.audit.accessed' "
                                + "AND convert_from(canonical, 'UTF8') LIKE ?")) {
            ps.setString(1, "%\"operation\":\"" + operation + "\"%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A return of the family for H2 2024; its id. */
    private String madeFor(String family) {
        return given().contentType("application/json")
                .body("{\"family\":\"" + family + "\",\"from\":\"2024-07-01\",\"to\":\"2025-01-01\"}")
                .post("/returns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void theAsicIdrReportHasOneRowPerComplaintAndTheVerifierRecomputesIt() throws Exception {
        taxonomy();
        // P, 10: received 2 Feb (Sydney), resolved 20 Feb, upheld, A$50.00 paid (and £3.00, not AUD: not counted).
        List<String> p = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID id = received("AU_ASIC_RG271", t("2026-02-02T00:00:00Z"));
            resolved(id, t("2026-02-20T00:00:00Z"), Outcome.UPHELD, "CREDIT_CARD");
            redress(id, t("2026-02-21T00:00:00Z"), RedressStage.PAID, 5000, "AUD");
            redress(id, t("2026-02-21T00:00:00Z"), RedressStage.PAID, 300, "GBP");
            // A$7.50 paid at 20:00 (AEST) on 30 Jun, recorded the next morning: paid in the period (asic-idr/2).
            redress(id, t("2026-06-30T23:00:00Z"), t("2026-06-30T10:00:00Z"), RedressStage.PAID, 750, "AUD");
            p.add(id.toString());
        }
        // Q, 5: hardship, received 15 Dec 2025, still open: open at the start, reported.
        List<String> q = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            q.add(received("AU_ASIC_RG271_HARDSHIP", t("2025-12-15T00:00:00Z")).toString());
        }
        // R, 5 + 5: received 23:30 on 30 Jun and 00:30 on 1 Jul, Sydney time (AEST): only the first in the period.
        List<String> r = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            r.add(received("AU_ASIC_RG271", t("2026-06-30T13:30:00Z")).toString());
            received("AU_ASIC_RG271", t("2026-06-30T14:30:00Z"));
        }
        // S, 5: received and resolved before the period: not reported.
        for (int i = 0; i < 5; i++) {
            UUID id = received("AU_ASIC_RG271", t("2025-11-03T00:00:00Z"));
            resolved(id, t("2025-12-01T00:00:00Z"), Outcome.NOT_UPHELD, "CURRENT_ACCOUNT");
        }
        // T, 5: resolved before the period, reopened in it (10 Jan), resolved again 10 Mar, upheld in part:
        // reported, closed 127 days after receipt (27 + 31 + 31 + 28 + 10).
        List<String> tt = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = received("AU_ASIC_RG271", t("2025-11-03T00:00:00Z"));
            resolved(id, t("2025-12-01T00:00:00Z"), Outcome.UPHELD, "MORTGAGE");
            reopened(id, t("2026-01-10T00:00:00Z"));
            resolved(id, t("2026-03-10T00:00:00Z"), Outcome.PARTLY_UPHELD, null);
            tt.add(id.toString());
        }
        events.forEach(e -> KAFKA.send(e.eventType().orElseThrow().topic(), e));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> logged(events) == events.size());

        // By hand: rows by date received, then id.
        List<List<String>> expected = new ArrayList<>();
        tt.stream()
                .sorted()
                .forEach(id -> expected.add(List.of(
                        id,
                        "2025-11-03",
                        "EMAIL",
                        "CLOSED",
                        "2026-03-10",
                        "127",
                        "HOME_LENDING",
                        "OTHER_ISSUE",
                        "PARTLY_UPHELD",
                        "")));
        q.stream()
                .sorted()
                .forEach(id -> expected.add(List.of(id, "2025-12-15", "EMAIL", "OPEN", "", "", "", "", "", "")));
        p.stream()
                .sorted()
                .forEach(id -> expected.add(List.of(
                        id,
                        "2026-02-02",
                        "EMAIL",
                        "CLOSED",
                        "2026-02-20",
                        "18",
                        "CREDIT",
                        "OTHER_ISSUE",
                        "UPHELD",
                        "57.50")));
        r.stream()
                .sorted()
                .forEach(id -> expected.add(List.of(id, "2026-06-30", "EMAIL", "OPEN", "", "", "", "", "", "")));

        String body = given().contentType("application/json")
                .body("{\"family\":\"ASIC_IDR\",\"from\":\"2026-01-01\",\"to\":\"2026-07-01\"}")
                .post("/returns")
                .then()
                .statusCode(201)
                .body("zone", is("Australia/Sydney"))
                .body("definitions.version", is("asic-idr/2"))
                .extract()
                .asString();
        JsonNode ret = JSON.readTree(body);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : ret.path("complaints")) {
            List<String> values = new ArrayList<>();
            for (String f : List.of(
                    "complaintId",
                    "dateReceived",
                    "channel",
                    "status",
                    "dateClosed",
                    "daysToClose",
                    "product",
                    "issue",
                    "outcome",
                    "compensationPaidAud")) {
                values.add(row.path(f).asText());
            }
            // Only this data set's complaints (the log of this test JVM holds other tests' cases too).
            if (events.stream().anyMatch(e -> e.subject().equals(values.get(0)))) {
                rows.add(values);
            }
        }
        assertEquals(expected, rows);

        String csv = given().get("/returns/" + ret.path("id").asText() + "/csv")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .extract()
                .asString();
        assertTrue(
                csv.startsWith(
                        "COMPLAINT_ID,DATE_RECEIVED,CHANNEL,STATUS,DATE_CLOSED,DAYS_TO_CLOSE,PRODUCT,ISSUE,OUTCOME,"
                                + "COMPENSATION_PAID_AUD\r\n"),
                csv);
        assertTrue(csv.contains(String.join(",", expected.get(0)) + "\r\n"), csv);

        String pem = given().get("/audit/public-key").then().extract().asString();
        String export =
                given().get("/audit/export").then().statusCode(200).extract().asString();
        ReturnVerifier.Result v = ReturnVerifier.verify(export, body, AuditExportVerifier.publicKey(pem));
        assertTrue(v.ok(), v.problems().toString());
        String edited = body.replace("\"daysToClose\":\"18\"", "\"daysToClose\":\"17\"");
        assertFalse(ReturnVerifier.verify(export, edited, AuditExportVerifier.publicKey(pem))
                .ok());
        // Under asic-idr/1 the line counted when recorded, after the period: each of P's rows differs.
        List<String> asFirst = ReturnVerifier.verify(
                        export,
                        body.replace("\"version\":\"asic-idr/2\"", "\"version\":\"asic-idr/1\""),
                        AuditExportVerifier.publicKey(pem))
                .problems();
        assertEquals(10, asFirst.size(), asFirst.toString());
        assertTrue(
                asFirst.stream()
                        .allMatch(x ->
                                x.contains("compensationPaidAud=57.50") && x.contains("compensationPaidAud=50.00")),
                asFirst.toString());
        assertEquals(
                List.of("the report's definitions version asic-idr/9 is not one this verifier knows"),
                ReturnVerifier.verify(
                                export,
                                body.replace("\"version\":\"asic-idr/2\"", "\"version\":\"asic-idr/9\""),
                                AuditExportVerifier.publicKey(pem))
                        .problems());
    }

    @Test
    void aReturnForAPeriodNotClosedOrOfNoKnownFamilyIsRefusedAndWritesNothing() throws Exception {
        long before = returnsStored();
        String tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Europe/London"))
                .plusDays(1)
                .toString();
        for (String[] bad : List.of(
                new String[] {
                    "{\"family\":\"FCA\",\"from\":\"2026-07-01\",\"to\":\"" + tomorrow + "\"}", "period-not-closed"
                },
                new String[] {
                    "{\"family\":\"ASIC_RG999\",\"from\":\"2026-01-01\",\"to\":\"2026-07-01\"}", "unknown-return-family"
                },
                new String[] {"{\"family\":\"FCA\",\"from\":\"2026-07-01\",\"to\":\"2026-01-01\"}", "empty-period"},
                new String[] {
                    "{\"family\":\"FCA\",\"from\":\"2019-01-01\",\"to\":\"2019-07-01\"}", "no-business-calendar"
                })) {
            given().contentType("application/json")
                    .body(bad[0])
                    .post("/returns")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", is("urn:redress:problem:" + bad[1]));
        }
        for (String bad : List.of(
                "{\"family\":\"FCA\",\"from\":\"1 Jan 2026\",\"to\":\"2026-07-01\"}",
                "{\"family\":\"FCA\",\"to\":\"2026-07-01\"}",
                "{\"family\":\"FCA\",\"from\":\"2026-01-01\",\"to\":\"2026-07-01\",\"extra\":1}",
                "{")) {
            given().contentType("application/json")
                    .body(bad)
                    .post("/returns")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().get("/returns/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/returns/not-a-uuid").then().statusCode(400);
        assertEquals(before, returnsStored());
    }

    @Test
    @TestSecurity(
            user = "an-operator",
            roles = {"operator"})
    void anOperatorMakesNoReturn() {
        given().contentType("application/json")
                .body("{\"family\":\"FCA\",\"from\":\"2026-01-01\",\"to\":\"2026-07-01\"}")
                .post("/returns")
                .then()
                .statusCode(403);
    }

    /** The export with {@code from} replaced by {@code to} in every entry, each hash recomputed as a forger would. */
    static String rehashed(String export, String from, String to) throws Exception {
        ObjectMapper m = new ObjectMapper();
        HexFormat hex = HexFormat.of();
        String[] lines = export.split("\n");
        JsonNode header = m.readTree(lines[0]);
        byte[] prev = hex.parseHex(header.path("previousChainHash").asText());
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        boolean changed = false;
        long entries = 0;
        for (int i = 1; i < lines.length; i++) {
            ObjectNode l = (ObjectNode) m.readTree(lines[i]);
            if (l.path("kind").asText().equals("entry")) {
                String canonical = l.path("canonical").asText();
                if (!changed && canonical.contains(from)) {
                    canonical = new JsonCanonicalizer(canonical.replace(from, to)).getEncodedString();
                    changed = true;
                }
                byte[] leaf = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(prev);
                d.update(leaf);
                prev = d.digest();
                l.put("canonical", canonical);
                l.put("leafHash", hex.formatHex(leaf));
                l.put("chainHash", hex.formatHex(prev));
                entries++;
            } else if (l.path("kind").asText().equals("footer")) {
                l.put("entries", entries);
                l.put("lastChainHash", hex.formatHex(prev));
            }
            out.append(m.writeValueAsString(l)).append('\n');
        }
        assertTrue(changed, "the export holds " + from);
        return out.toString();
    }

    /** A forger drops the signed checkpoint lines their rewrite no longer matches. */
    static String withoutCheckpoints(String export) {
        StringBuilder out = new StringBuilder();
        for (String line : export.split("\n")) {
            if (!line.contains("\"kind\":\"checkpoint\"")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
