package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import redress.events.CaseEvent;
import redress.testsupport.SecurityChecks;
import redress.testsupport.TestTokens;

/** Who may do what (docs/security.md), with real tokens: no test identity here. */
@QuarkusTest
class SecurityTest extends redress.testsupport.EndpointTableTest {

    @Override
    protected String service() {
        return "intake-service";
    }

    static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles));
    }

    /** Submits a complaint of {@code customer} as the complaint-submitter {@code subject}. */
    static ValidatableResponse submitAs(String subject, String customer) {
        return as(subject, "complaint-submitter")
                .contentType(ContentType.JSON)
                .body(Api.complaintJson(customer))
                .post("/complaints")
                .then();
    }

    @Test
    void aSubmitterSeesListsAndReadsOnlyItsOwnComplaints() {
        String customer = Api.newCustomer();
        String id = submitAs("crm-a", customer)
                .statusCode(201)
                .body("submittedBy", is("crm-a"))
                .extract()
                .path("id");
        // The owner sees it everywhere.
        as("crm-a", "complaint-submitter").get("/complaints/" + id).then().statusCode(200);
        as("crm-a", "complaint-submitter")
                .get("/complaints?customerId=" + customer)
                .then()
                .body("items.id", hasItem(id));
        as("crm-a", "complaint-submitter")
                .get("/customers/" + customer + "/complaints")
                .then()
                .body("items.id", hasItem(id));
        as("crm-a", "complaint-submitter")
                .get("/complaints/" + id + "/interactions")
                .then()
                .statusCode(200);
        // Another submitter: exactly as if it did not exist.
        String unknown = UUID.randomUUID().toString();
        for (String path : List.of("/complaints/%s", "/complaints/%s/interactions", "/complaints/%s/promises")) {
            String other = as("crm-b", "complaint-submitter")
                    .get(path.formatted(id))
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .extract()
                    .path("detail");
            String missing = as("crm-b", "complaint-submitter")
                    .get(path.formatted(unknown))
                    .then()
                    .statusCode(404)
                    .extract()
                    .path("detail");
            assertEquals(missing.replace(unknown, id), other, "another's complaint must read like an unknown one");
        }
        as("crm-b", "complaint-submitter")
                .get("/complaints?customerId=" + customer)
                .then()
                .statusCode(200)
                .body("items", empty());
        // Nor do the links to the customer's earlier complaints give another submitter's away.
        String second = submitAs("crm-b", customer)
                .statusCode(201)
                .body("earlierComplaints", empty())
                .extract()
                .path("id");
        as("crm-b", "complaint-submitter").get("/complaints/" + second).then().body("earlierComplaints", empty());
        as("ana", "agent").get("/complaints/" + second).then().body("earlierComplaints.id", hasItem(id));
        as("crm-b", "complaint-submitter")
                .get("/customers/" + customer + "/complaints")
                .then()
                .body("items.id", contains(second));
        // Submitters do not work cases; agents see every case.
        as("crm-a", "complaint-submitter")
                .contentType(ContentType.JSON)
                .body("{\"kind\":\"NOTE\",\"text\":\"x\"}")
                .post("/complaints/" + id + "/interactions")
                .then()
                .statusCode(403);
        as("ana", "agent").get("/complaints/" + id).then().statusCode(200);
    }

    @Test
    void theActorIsTheTokensSubjectNeverTheRequest() {
        String id = as("crm-actor", "complaint-submitter")
                .contentType(ContentType.JSON)
                .body(Api.complaintJson(Api.newCustomer()))
                .post("/complaints")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as("agent-007", "agent")
                .contentType(ContentType.JSON)
                .body("{\"kind\":\"APOLOGY\",\"text\":\"Sorry\"}")
                .post("/complaints/" + id + "/interactions")
                .then()
                .statusCode(201);
        List<CaseEvent> events = Api.awaitEvents(UUID.fromString(id), 3);
        assertEquals("integration", events.get(0).actortype().wire());
        assertEquals("crm-actor", events.get(0).actorid());
        CaseEvent apology = events.stream()
                .filter(e -> e.type().endsWith("interaction.recorded"))
                .findFirst()
                .orElseThrow();
        assertEquals("agent", apology.actortype().wire());
        assertEquals("agent-007", apology.actorid());
    }

    @Test
    void anonymousCallersSeeNoInternals() {
        String health = given().get("/q/health").then().extract().asString();
        String errors = given().get("/complaints/" + UUID.randomUUID())
                        .then()
                        .statusCode(401)
                        .extract()
                        .asString()
                + as("x", "agent")
                        .get("/complaints/not-a-uuid")
                        .then()
                        .statusCode(400)
                        .extract()
                        .asString()
                + as("x", "agent")
                        .contentType(ContentType.JSON)
                        .body("{")
                        .post("/complaints/" + UUID.randomUUID() + "/status")
                        .then()
                        .statusCode(400)
                        .extract()
                        .asString();
        SecurityChecks.assertShowsNoInternals(health, errors);
    }
}
