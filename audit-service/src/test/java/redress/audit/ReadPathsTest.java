package redress.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;
import redress.testsupport.SseClient;
import redress.testsupport.TestInfrastructure;

/**
 * The read paths cannot exhaust the service: stream clients are capped (503 + Retry-After beyond
 * the cap), a slowly read export holds no pooled connection or snapshot, and ingest keeps its
 * latency meanwhile.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class ReadPathsTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @ConfigProperty(name = "redress.stream.max-clients")
    int cap;

    @Inject
    AuditLog log;

    @Test
    void ingestKeepsItsLatencyWhileTheStreamCapIsReachedAndAnExportIsReadSlowly() throws Exception {
        // An export big enough to fill the socket buffers of a client that stops reading.
        UUID bulk = UUID.randomUUID();
        for (int b = 0; b < 6; b++) {
            append(bulk, 1000, "x".repeat(1500));
        }
        long[] before = appendLatencies(60);

        List<SseClient> open = new ArrayList<>();
        SseClient refused = null;
        try {
            for (int i = 0; i <= cap + 5 && refused == null; i++) {
                SseClient c = SseClient.open(port, "/streams/cases", Map.of());
                if (c.status == 200) {
                    open.add(c);
                } else {
                    refused = c;
                }
            }
            assertNotNull(refused, open.size() + " stream clients accepted, the cap is " + cap);
            assertTrue(open.size() <= cap, open.size() + " accepted");
            assertEquals(503, refused.status);
            String retryAfter =
                    refused.response.headers().firstValue("Retry-After").orElse("");
            assertTrue(retryAfter.matches("[1-9][0-9]*"), "Retry-After in seconds: " + retryAfter);
            assertTrue(refused.response
                    .headers()
                    .firstValue("content-type")
                    .orElse("")
                    .startsWith("application/problem+json"));
            String body = String.join("\n", lines(refused));
            assertTrue(body.contains("\"status\":503"), body);
            refused.close();

            try (Socket export = slowExport()) {
                long[] during = appendLatencies(60);
                long p99Before = p99(before);
                long p99During = p99(during);
                assertTrue(
                        p99During <= Math.max(3 * p99Before, p99Before + 100_000_000L),
                        "append p99 " + p99During / 1e6 + " ms while reading, " + p99Before / 1e6 + " ms before");

                // The stalled export holds no transaction (no snapshot) open on the server.
                Awaitility.await()
                        .during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> idleInTransaction() == 0);

                // The open streams still see new entries, all of them.
                UUID live = UUID.randomUUID();
                append(live, 1, "live");
                for (SseClient c : open) {
                    SseClient.SseEvent e;
                    do {
                        e = c.next(WAIT);
                        assertNotNull(e, "a stream ended");
                    } while (!e.data().contains(live.toString()));
                }
            }
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void aClientOfferingTheCleartextHttp2UpgradeReadsALargeExportOverHttp11() throws Exception {
        // The JDK's HttpClient (and curl --http2) offer "Upgrade: h2c" on a plain connection. A
        // large export read through that upgrade once came back as HTTP/1.1 bytes where HTTP/2
        // frames were expected ("Frame type(116) ... exceeds MAX_FRAME_SIZE"); the services speak
        // HTTP/1.1 only, so the offer is declined and the export arrives whole.
        UUID bulk = UUID.randomUUID();
        append(bulk, 2000, "y".repeat(1500));
        for (int i = 0; i < 3; i++) {
            HttpClient client = HttpClient.newHttpClient(); // a new connection: the upgrade is offered again
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/audit/export"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version());
            assertTrue(r.body().contains(bulk.toString()));
        }
    }

    @Test
    void longReadsHaveTheirOwnPoolWithAStatementTimeout() throws Exception {
        AgroalDataSource reads = Arc.container()
                .select(AgroalDataSource.class, new DataSource.DataSourceLiteral("reads"))
                .get();
        try (Connection c = reads.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertEquals("30s", rs.getString(1));
        }
        assertTrue(reads.getConfiguration().connectionPoolConfiguration().maxSize() <= 5);
    }

    @Test
    void aReadConnectionTheServerHasClosedIsNotHandedOut() throws Exception {
        // As after a database restart (PITFALLS 22): the pool still holds connections whose server
        // side is gone. Before, the first GET /audit/verify after it answered 503.
        given().get("/audit/verify").then().statusCode(200);
        AgroalDataSource main = Arc.container().select(AgroalDataSource.class).get();
        try (Connection c = main.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE application_name = 'audit-reads' AND pid <> pg_backend_pid()")) {
            rs.next();
            assertTrue(rs.getInt(1) > 0, "the reads pool held a connection");
        }
        Thread.sleep(1_500); // idle past the validation interval, as any connection is a moment after a restart
        given().get("/audit/verify").then().statusCode(200);
    }

    /** Opens an export, reads its first bytes, then stops reading with a tiny receive window. */
    private Socket slowExport() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(1024);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write("GET /audit/export HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] first = new byte[512];
        int n = in.read(first);
        assertTrue(n > 0 && new String(first, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
        return s;
    }

    private static int idleInTransaction() throws Exception {
        try (Connection c = TestInfrastructure.get().postgres().connect("audit");
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = 'audit' "
                                + "AND usename = 'audit_writer' AND state LIKE 'idle in transaction%'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private long[] appendLatencies(int n) throws Exception {
        long[] t = new long[n];
        UUID caseId = UUID.randomUUID();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            append(caseId, 1, "latency " + i);
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t;
    }

    private static long p99(long[] sorted) {
        return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
    }

    private void append(UUID caseId, int n, String text) throws Exception {
        List<Received> batch = Events.interactions(caseId, "C-read", text + " ", n);
        assertEquals(n, log.append(batch));
    }

    private static List<String> lines(SseClient c) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (String l = c.nextLine(WAIT); l != null; l = c.nextLine(WAIT)) {
            out.add(l);
        }
        return out;
    }
}
