package redress.audit;

import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

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
 * the same run; case-history query p50/p99; verify rate as a ratio to raw SHA-256 hashes per second
 * of entries of the same size in the same JVM, through the background verification API (followed
 * by polling, so a slow machine makes it slower, never failed). Not a test: run it by name
 * (docs/performance.md).
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

        // Verify the whole chain in the background, following its progress (no single long request),
        // against raw SHA-256 of as many entry-sized buffers in this JVM.
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
        int entrySize = averageCanonicalSize();
        byte[] buffer = new byte[entrySize];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        // Warmed up first, so that the reference is the JIT-compiled (intrinsic) hash, as in the verifier.
        for (int i = 0; i < 200_000; i++) {
            buffer[0] = (byte) i;
            sha.digest(buffer);
        }
        long hashStart = System.nanoTime();
        for (long i = 0; i < checked; i++) {
            buffer[0] = (byte) i;
            sha.update(buffer);
            sha.digest();
        }
        double hashesPerSecond = checked / ((System.nanoTime() - hashStart) / 1e9);
        double verifyPerSecond = checked / verifySeconds;

        report.append(String.format("single-row inserts/s (1 client, reference): %.0f%n", insertsPerSecond));
        report.append(String.format(
                "appends/s (batches of %d): %.0f  ratio %.2f  (%d entries in %.1f s)%n",
                BATCH, appendsPerSecond, appendsPerSecond / insertsPerSecond, appended, appendSeconds));
        report.append(String.format(
                "case history (%d entries per case) p50 %.2f ms  p99 %.2f ms%n",
                EVENTS_PER_CASE, latencies[499] / 1e6, latencies[989] / 1e6));
        report.append(
                String.format("raw SHA-256 of %d-byte entries/s (reference): %.0f%n", entrySize, hashesPerSecond));
        report.append(String.format(
                "verify entries/s: %.0f  ratio %.3f  (%d entries, %d checkpoints, %.1f s)%n",
                verifyPerSecond,
                verifyPerSecond / hashesPerSecond,
                checked,
                v.getInt("checkpointsChecked"),
                verifySeconds));
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-audit.txt"), report.toString());
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
