package redress.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;

@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class ListingTest {

    @Test
    void pagesCoverEveryCaseOnceNewestFirst() {
        String customer = Api.newCustomer();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(0, Api.newCase(customer).toString());
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Response r = given().queryParam("customerId", customer)
                    .queryParam("limit", 3)
                    .queryParam("after", after == null ? new Object[0] : new Object[] {after})
                    .get("/complaints");
            r.then().statusCode(200).body("limit", is(3));
            seen.addAll(r.path("items.id"));
            after = r.path("next");
            pages++;
        } while (after != null);
        assertEquals(created, seen, "every case once, newest first");
        assertEquals(3, pages);
    }

    /**
     * Before a return is made, the complaint team lists what the return would put under
     * UNCLASSIFIED: the open cases of a regulated profile with no product group yet.
     */
    @Test
    void theOpenCasesAReturnWouldLeaveUnclassifiedAreListed() {
        String customer = Api.newCustomer();
        UUID unclassified = Api.newCase(customer);
        UUID classified = Api.newCase(customer);
        UUID resolved = Api.newCase(customer);
        UUID other = UUID.fromString(Api.submit(Api.complaintJson(customer).replace("UK_FCA_DISP", "DEFAULT"))
                .statusCode(201)
                .extract()
                .path("id"));
        ClassificationTest.reclassify(
                        classified,
                        "{\"regulatoryProfile\":\"UK_FCA_DISP\",\"productGroup\":\"CURRENT_ACCOUNT\",\"reason\":\"a current account\"}")
                .statusCode(200);
        Api.post("/complaints/" + resolved + "/resolution", Api.resolution("refunded"))
                .statusCode(200);

        String mine = "/complaints?customerId=" + customer;
        given().get(mine + "&regulatoryProfile=UK_FCA_DISP&classified=false&settled=false")
                .then()
                .statusCode(200)
                .body("items.id", contains(unclassified.toString()));
        given().get(mine + "&classified=true")
                .then()
                .body("items.id", containsInAnyOrder(classified.toString(), resolved.toString()));
        given().get(mine + "&settled=true").then().body("items.id", contains(resolved.toString()));
        given().get(mine + "&settled=false&classified=FALSE")
                .then()
                .body("items.id", containsInAnyOrder(unclassified.toString(), other.toString()));
        given().get(mine + "&regulatoryProfile=DEFAULT").then().body("items.id", contains(other.toString()));
        // A page walk keeps its filters: the cursor of one filter set is refused with another.
        String next =
                given().get(mine + "&settled=false&limit=1").then().extract().path("next");
        given().get(mine + "&settled=false&limit=1&after=" + next)
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        BadInputTest.invalidField(
                given().get(mine + "&settled=true&limit=1&after=" + next).then(), "after");
        BadInputTest.invalidField(given().get(mine + "&classified=maybe").then(), "classified");
        BadInputTest.invalidField(
                given().get(mine + "&regulatoryProfile=" + "X".repeat(51)).then(), "regulatoryProfile");
    }

    @Test
    void filtersCombine() {
        String customer = Api.newCustomer();
        UUID a = Api.newCase(customer);
        UUID b = Api.newCase(customer);
        Api.submit(Api.complaintJson(customer).replace("\"HIGH\"", "\"LOW\"")).statusCode(201);
        Api.post("/complaints/" + a + "/status", "{\"status\":\"IN_PROGRESS\"}").statusCode(200);
        Api.post(
                        "/complaints/" + b + "/assignment",
                        "{\"assignee\":\"lee-" + customer + "\",\"level\":\"TEAM_LEAD\",\"briefing\":\"b\"}")
                .statusCode(200);

        given().get("/complaints?customerId=" + customer + "&severity=HIGH")
                .then()
                .body("items", hasSize(2));
        given().get("/complaints?customerId=" + customer + "&severity=low")
                .then()
                .body("items", hasSize(1));
        given().get("/complaints?customerId=" + customer + "&status=IN_PROGRESS")
                .then()
                .body("items.id", contains(a.toString()));
        given().get("/complaints?assignee=lee-" + customer).then().body("items.id", contains(b.toString()));
        given().get("/complaints?customerId=" + customer + "&level=TEAM_LEAD&assignee=lee-" + customer)
                .then()
                .body("items", hasSize(1));
        given().get("/complaints?customerId=" + customer + "&level=MANAGER")
                .then()
                .body("items", empty())
                .body("next", nullValue());
        given().get("/customers/" + customer + "/complaints?limit=2")
                .then()
                .body("items", hasSize(2))
                .body("next", notNullValue());
        given().get("/customers/nobody-" + UUID.randomUUID() + "/complaints")
                .then()
                .statusCode(200)
                .body("items", empty());
    }
}
