package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** What an on-call engineer relies on: health that means something, metrics, the API description. */
@QuarkusTest
class OperationsTest {

    @Test
    void readinessChecksTheDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("kafka", "Database connections health check"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountComplaintsAndShowOutboxLag() {
        Api.newCase(Api.newCustomer());
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("redress_complaints_received_total{channel=\"EMAIL\",severity=\"HIGH\"}"))
                .body(containsString("redress_outbox_oldest_unsent_age_seconds"))
                .body(containsString("redress_outbox_unsent")));
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/complaints"))
                .body("paths", hasKey("/complaints/{id}/interactions"))
                .body("paths", hasKey("/customers/{customerId}/complaints"));
    }
}
