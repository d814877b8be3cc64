package redress.audit;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import redress.audit.log.AuditLog;

/**
 * The log's appender stalled for longer than SmallRye's commit fuse (3 s in tests), as in a
 * database outage or a long pause, leaves the ingest channel alive: what waited is logged when the
 * stall ends, and what comes after too, without a restart.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class ConsumerStallTest {

    @Inject
    DataSource dataSource;

    @Test
    void aStalledAppendDoesNotKillTheIngestChannel() throws Exception {
        UUID stalled = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)");
                PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            // Every append takes the chain head's lock first: holding it stalls ingest.
            lock.setLong(1, AuditLog.HEAD_LOCK);
            lock.execute();
            Events.publish(Events.received(stalled, "C-" + stalled, "billing", "card"));
            Thread.sleep(Duration.ofSeconds(8).toMillis()); // the stall itself: longer than the fuse
            unlock.setLong(1, AuditLog.HEAD_LOCK);
            unlock.execute();
        }
        Events.awaitHistory(stalled, 1);
        UUID after = UUID.randomUUID();
        Events.publish(Events.received(after, "C-" + after, "billing", "card"));
        Events.awaitHistory(after, 1);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
