package redress.audit;

import static io.restassured.RestAssured.given;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;
import redress.events.CaseEvent;
import redress.events.Topics;
import redress.testsupport.TestInfrastructure;

/**
 * The log at 1,000,000 entries: append rate as a ratio to single-row INSERTs on the same server in
 * the same run; case-history query p50/p99; verify rate, through the background verification API
 * (followed by polling, so a slow machine makes it slower, never failed), as a ratio to the same
 * hashing per entry (leaf and chain hash of entry-sized buffers) in a JVM with the service's flags
 * ({@link HashReference}) and to the rate PostgreSQL returns the rows. Not a test: run it by name,
 * with {@code -Pbenchmark} so that this JVM too runs with the service's flags (docs/performance.md).
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
@TestProfile(AuditBenchmark.Profile.class)
class AuditBenchmark {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redress.audit.checkpoint.every-entries", "10000", "redress.audit.checkpoint.every", "1h");
        }
    }

    static final int ENTRIES = Integer.getInteger("bench.entries", 1_000_000);
    static final int BATCH = 1000;
    static final int EVENTS_PER_CASE = 10;

    @Inject
    AuditLog log;

    @Inject
    DataSource dataSource;

    @Test
    void oneMillionEntries() throws Exception {
        StringBuilder report = new StringBuilder("audit benchmark, " + ENTRIES + " entries, "
                + Runtime.getRuntime().availableProcessors() + " cores\n");

        // Reference: single-row INSERTs of rows the size of an entry, autocommit, one client.
        String payload = "x".repeat(900);
        long refRows = 0;
        long refStart = System.nanoTime();
        try (Connection c = DriverManager.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_insert (payload) VALUES (?)")) {
                while (System.nanoTime() - refStart < 15_000_000_000L) {
                    ps.setString(1, payload);
                    ps.executeUpdate();
                    refRows++;
                }
            }
        }
        double insertsPerSecond = refRows / ((System.nanoTime() - refStart) / 1e9);

        // Append: batches of 1,000 (one transaction each), 10 events per case.
        List<UUID> cases = new ArrayList<>();
        long appendStart = System.nanoTime();
        int appended = 0;
        UUID caseId = null;
        while (appended < ENTRIES) {
            List<Received> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                if ((appended + i) % EVENTS_PER_CASE == 0) {
                    caseId = UUID.randomUUID();
                    cases.add(caseId);
                }
                CaseEvent e = (appended + i) % EVENTS_PER_CASE == 0
                        ? Events.received(caseId, "C-" + caseId, "billing", "card")
                        : Events.interaction(
                                caseId, "C-" + caseId, "Called the customer back about the refund, step " + i);
                batch.add(Received.encoded(e, Topics.CASE_EVENTS));
            }
            appended += log.append(batch);
        }
        double appendSeconds = (System.nanoTime() - appendStart) / 1e9;
        double appendsPerSecond = appended / appendSeconds;

        // Case history: 1,000 random cases over HTTP.
        Random random = new Random(42);
        long[] latencies = new long[1000];
        for (int i = 0; i < latencies.length; i++) {
            UUID id = cases.get(random.nextInt(cases.size()));
            long t0 = System.nanoTime();
            given().get("/audit/cases/" + id).then().statusCode(200);
            latencies[i] = System.nanoTime() - t0;
        }
        Arrays.sort(latencies);

        // Verify the whole chain in the background, following its progress (no single long request).
        io.restassured.response.Response started = given().post("/audit/verifications");
        started.then().statusCode(202);
        String location = started.header("Location");
        JsonPath run;
        long lastPrint = 0;
        while (true) {
            run = given().get(location).then().statusCode(200).extract().jsonPath();
            if (!"running".equals(run.getString("state"))) {
                break;
            }
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                System.out.printf(
                        "verifying: %d of %d entries, %.0f/s, about %s s left%n",
                        run.getLong("entriesChecked"),
                        run.getLong("entriesTotal"),
                        run.getDouble("rate"),
                        run.getString("estimatedSecondsLeft"));
                lastPrint = System.nanoTime();
            }
            Thread.sleep(500);
        }
        if (!"done".equals(run.getString("state"))) {
            throw new AssertionError("the verification did not finish: " + run.prettify());
        }
        JsonPath v = new JsonPath(run.prettify()).setRootPath("report");
        double verifySeconds = java.time.Duration.between(
                                java.time.Instant.parse(run.getString("startedAt")),
                                java.time.Instant.parse(run.getString("finishedAt")))
                        .toNanos()
                / 1e9;
        long checked = v.getLong("entriesChecked");
        if (!v.getBoolean("ok")) {
            throw new AssertionError("the chain does not verify: " + run.prettify());
        }
        double verifyPerSecond = checked / verifySeconds;

        // Reference 1: the same hashing (leaf and chain hash per entry-sized buffer, one thread) in a
        // JVM of its own with the service's flags, after a warm-up.
        int entrySize = averageCanonicalSize();
        HashReference.Result hashing = HashReference.measure(entrySize, checked);

        // Reference 2: PostgreSQL returning the rows the verification reads, one client, in pages of
        // the verifier's size: the hashed columns alone, and every column the verifier reads. A first
        // pass over up to 100,000 entries, not counted, lets this JVM's JIT compile the reading.
        readRate(VERIFIER_COLUMNS, Math.min(checked, 100_000));
        double readsPerSecond = readRate("seq, canonical, leaf_hash, chain_hash", checked);
        double verifierReadsPerSecond = readRate(VERIFIER_COLUMNS, checked);

        report.append(String.format("single-row inserts/s (1 client, reference): %.0f%n", insertsPerSecond));
        report.append(String.format(
                "appends/s (batches of %d): %.0f  ratio %.2f  (%d entries in %.1f s)%n",
                BATCH, appendsPerSecond, appendsPerSecond / insertsPerSecond, appended, appendSeconds));
        report.append(String.format(
                "case history (%d entries per case) p50 %.2f ms  p99 %.2f ms%n",
                EVENTS_PER_CASE, latencies[499] / 1e6, latencies[989] / 1e6));
        report.append(String.format(
                "leaf + chain SHA-256 of %d-byte entries/s (reference, own JVM: %s): %.0f%n",
                entrySize, hashing.jvmFlags(), hashing.entriesPerSecond()));
        report.append(String.format(
                "PostgreSQL reads of seq, canonical, leaf_hash, chain_hash/s (reference, pages of %d): %.0f%n",
                PAGE, readsPerSecond));
        report.append(String.format(
                "PostgreSQL reads of the verifier's columns/s (pages of %d): %.0f%n", PAGE, verifierReadsPerSecond));
        report.append(String.format(
                "verify entries/s: %.0f  ratio to hashing %.3f  to reads %.3f  to the verifier's reads %.3f"
                        + "  (%d entries, %d checkpoints, %.1f s; service JVM: %s)%n",
                verifyPerSecond,
                verifyPerSecond / hashing.entriesPerSecond(),
                verifyPerSecond / readsPerSecond,
                verifyPerSecond / verifierReadsPerSecond,
                checked,
                v.getInt("checkpointsChecked"),
                verifySeconds,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-audit.txt"), report.toString());
    }

    /** The page size of the verifier's walk (Verifier.PAGE). */
    static final int PAGE = 2000;

    /** The columns the verifier reads per entry (Verifier.page). */
    static final String VERIFIER_COLUMNS = "seq, case_seq, event_id::text, event_type, case_id, "
            + "canonical, leaf_hash, chain_hash, customer_id, actor_type, actor_id, "
            + "(extract(epoch FROM recorded_at) * 1000000)::bigint";

    /**
     * Rows per second PostgreSQL returns over entries 1 to {@code entries}, read in pages of {@link
     * #PAGE} by sequence as the verifier does (binary results), every column fetched into Java, one
     * connection from the service's pool, nothing done with them.
     */
    private double readRate(String columns, long entries) throws Exception {
        long start = System.nanoTime();
        long rows = 0;
        long sink = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + columns + " FROM audit_entry WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(-1); // binary results, as the verifier reads them
            long after = 0;
            while (after < entries) {
                ps.setLong(1, after);
                ps.setLong(2, entries);
                ps.setInt(3, PAGE);
                int page = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    int[] types = new int[rs.getMetaData().getColumnCount() + 1];
                    for (int col = 1; col < types.length; col++) {
                        types[col] = rs.getMetaData().getColumnType(col);
                    }
                    while (rs.next()) {
                        after = rs.getLong(1);
                        for (int col = 2; col < types.length; col++) {
                            sink += switch (types[col]) {
                                case Types.BINARY -> rs.getBytes(col).length;
                                case Types.BIGINT -> rs.getLong(col);
                                default -> {
                                    String text = rs.getString(col);
                                    yield text == null ? 0 : text.length();
                                }
                            };
                        }
                        page++;
                    }
                }
                rows += page;
                if (page == 0) {
                    break;
                }
            }
        }
        if (sink == 42) {
            System.out.println(); // keeps the reads observable
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private int averageCanonicalSize() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT avg(octet_length(canonical))::int FROM audit_entry")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A plain connection as the owner, for the reference inserts. */
    static final class DriverManager {
        static Connection connect() throws Exception {
            var pg = TestInfrastructure.get().postgres();
            return pg.connect("audit");
        }
    }
}
