package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import redress.audit.log.AuditLog;
import redress.audit.log.Received;

/**
 * A long verification an auditor can follow: started with POST (202 + Location), joined by a
 * second request for the same range while it runs, progress while it runs, the report kept after.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class VerificationsTest {

    @Inject
    AuditLog log;

    @Test
    void aVerificationRunsInTheBackgroundShowsProgressAndKeepsItsReport() throws Exception {
        UUID caseId = UUID.randomUUID();
        for (int b = 0; b < 20; b++) {
            List<Received> batch = Events.interactions(caseId, "C-v", "verify me ", 1000);
            assertEquals(1000, log.append(batch));
        }

        Response first = given().post("/audit/verifications");
        first.then().statusCode(202).header("Location", startsWith("http"));
        JsonPath started = first.jsonPath();
        assertEquals("running", started.getString("state"));
        assertNotNull(started.get("entriesChecked"));
        String location = first.header("Location");
        assertTrue(location.endsWith("/audit/verifications/" + started.getString("id")), location);

        // The same range again: while the first runs, the answer is that run, not a second one.
        Response second = given().post("/audit/verifications");
        second.then().statusCode(202);
        JsonPath again = second.jsonPath();
        if (!again.getString("id").equals(started.getString("id"))) {
            JsonPath firstNow =
                    given().get(location).then().statusCode(200).extract().jsonPath();
            assertEquals("done", firstNow.getString("state"), "a second run of the same range while the first ran");
            assertTrue(!Instant.parse(firstNow.getString("finishedAt"))
                    .isAfter(Instant.parse(again.getString("startedAt"))));
        }

        AtomicReference<JsonPath> last = new AtomicReference<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    JsonPath p = given().get(location)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    last.set(p);
                    if ("running".equals(p.getString("state"))) {
                        assertTrue(p.getLong("entriesChecked") >= 0);
                        assertTrue(p.getLong("entriesTotal") >= 20_000, p.prettify());
                    }
                    return !"running".equals(p.getString("state"));
                });
        JsonPath done = last.get();
        assertEquals("done", done.getString("state"), done.prettify());
        assertTrue(done.getBoolean("report.ok"), done.prettify());
        assertTrue(done.getLong("report.entriesChecked") >= 20_000, done.prettify());
        assertEquals(done.getLong("report.entriesChecked"), done.getLong("entriesChecked"));
        assertTrue(done.getDouble("rate") > 0, done.prettify());
        assertEquals(0, done.getInt("estimatedSecondsLeft"));

        // Kept: readable again later, unchanged.
        given().get(location)
                .then()
                .statusCode(200)
                .body("state", equalTo("done"))
                .body("report.headSeq", equalTo(done.getInt("report.headSeq")));
    }

    @Test
    void anUnknownVerificationIsA404Problem() {
        given().get("/audit/verifications/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/audit/verifications/not-an-id").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badRangesAreRefusedBeforeAnythingRuns() {
        given().queryParam("fromSeq", "0")
                .post("/audit/verifications")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("fromSeq"));
        given().queryParam("fromSeq", "10")
                .queryParam("toSeq", "5")
                .post("/audit/verifications")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("toSeq"));
    }
}
