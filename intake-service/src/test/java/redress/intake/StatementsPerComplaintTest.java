package redress.intake;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import redress.testsupport.DriverLog;
import redress.testsupport.ThrownExceptions;

/**
 * Issue 30, cost per complaint: how many statements, round trips and transactions one {@code POST
 * /complaints} makes, pinned so that a change which adds one fails here (docs/performance.md,
 * "Intake: statements per complaint").
 *
 * <p>Counted from the PostgreSQL wire protocol as the driver speaks it (its FINEST log of the
 * messages it sends and receives), on the thread that served the request: exact, and blind to what
 * the outbox relay, the timers and other tests do on the same server meanwhile. A statement is an
 * Execute (BEGIN and COMMIT included), a round trip a Sync or a simple query, a transaction a
 * ReadyForQuery that leaves the session idle after a statement.
 */
@QuarkusTest
@TestSecurity(
        user = "test-crm",
        roles = {"complaint-submitter", "agent", "supervisor", "operator"})
class StatementsPerComplaintTest {

    /** What the driver did on the request's thread during one call. */
    record Traffic(List<String> messages) {

        /**
         * The messages split at each Sync (one wait for the server each), without the driver's own
         * one-off work on a connection: describing a statement it is about to prepare on the
         * server (no Execute), and reading column metadata from the catalog.
         */
        List<List<String>> exchanges() {
            List<List<String>> out = new ArrayList<>();
            List<String> current = new ArrayList<>();
            for (String m : messages) {
                current.add(m);
                if (m.startsWith("FE=> Sync")) {
                    boolean executes = current.stream().anyMatch(x -> x.startsWith("FE=> Execute"));
                    boolean catalog =
                            current.stream().anyMatch(x -> x.startsWith("FE=> Parse") && x.contains("pg_catalog"));
                    if (executes && !catalog) {
                        out.add(current);
                    }
                    current = new ArrayList<>();
                }
            }
            return out;
        }

        /** Statements executed, COMMIT included (a BEGIN goes out ahead of the first one, in its round trip). */
        long statements() {
            return exchanges().stream()
                    .flatMap(List::stream)
                    .filter(m -> m.startsWith("FE=> Execute"))
                    .count();
        }

        long roundTrips() {
            return exchanges().size();
        }

        /** Transactions ended: ReadyForQuery(I) after a statement (not after a validation's empty query). */
        long transactions() {
            long n = 0;
            boolean worked = false;
            for (String m : messages) {
                if (m.startsWith("<=BE CommandStatus")) {
                    worked = true;
                } else if (m.startsWith("<=BE ReadyForQuery(I)")) {
                    if (worked) {
                        n++;
                    }
                    worked = false;
                }
            }
            return n;
        }

        /** The statements' text where sent, or the name of a statement the server has prepared. */
        List<String> sql() {
            return DriverLog.sql(messages, 160);
        }

        String describe() {
            return statements() + " statements, " + roundTrips() + " round trips, " + transactions()
                    + " transactions:\n  " + String.join("\n  ", sql());
        }
    }

    /** The driver's protocol log of one call, on the request's thread (the worker that inserted rows). */
    static Traffic traffic(Supplier<ValidatableResponse> call) {
        List<DriverLog.Message> all = DriverLog.during(call::get);
        String thread = all.stream()
                .filter(m -> m.thread().startsWith("executor-thread")
                        && m.text().startsWith("<=BE CommandStatus(INSERT 0 1)"))
                .map(DriverLog.Message::thread)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no INSERT of the request seen"));
        return new Traffic(all.stream()
                .filter(m -> m.thread().equals(thread))
                .map(DriverLog.Message::text)
                .toList());
    }

    static ValidatableResponse post(String customer, String key) {
        var r = given().contentType(ContentType.JSON).body(Api.complaintJson(customer));
        if (key != null) {
            r.header("Idempotency-Key", key);
        }
        return r.post("/complaints").then().statusCode(201);
    }

    /**
     * One transaction, at most {@code statements} statements (COMMIT included) and as many round
     * trips. Before issue 30: two transactions (the response read the customer's key again after
     * the commit) and 10 to 12 statements.
     */
    static void assertCost(Traffic t, int statements) {
        assertEquals(1, t.transactions(), "one transaction per complaint; " + t.describe());
        assertTrue(t.statements() <= statements, "at most " + statements + " statements; " + t.describe());
        assertTrue(t.roundTrips() <= statements, "at most " + statements + " round trips; " + t.describe());
    }

    @Test
    void newCustomerWithoutKey() {
        Api.newCase(Api.newCustomer()); // warm: the year's reference sequence exists
        Traffic t = traffic(() -> post(Api.newCustomer(), null));
        System.out.println("new customer, no Idempotency-Key: " + t.describe());
        // The key row made, the number and earlier complaints, the outbox row, the case, COMMIT.
        assertCost(t, 5);
    }

    @Test
    void newCustomerWithKey() {
        Api.newCase(Api.newCustomer());
        Traffic t = traffic(() -> post(Api.newCustomer(), UUID.randomUUID().toString()));
        System.out.println("new customer, Idempotency-Key: " + t.describe());
        // The claim (naming the case), then as above.
        assertCost(t, 6);
    }

    @Test
    void returningCustomerWithKey() {
        String customer = Api.newCustomer();
        Api.newCase(customer);
        Api.newCase(customer);
        Traffic t = traffic(() -> post(customer, UUID.randomUUID().toString()));
        System.out.println("returning customer, Idempotency-Key: " + t.describe());
        // As above, the key row locked instead of made, and the customer's vulnerability flags read.
        assertCost(t, 7);
    }

    @Test
    @TestSecurity(
            user = "test-crm",
            roles = {"complaint-submitter"})
    void returningCustomerOfASubmitter() {
        String customer = Api.newCustomer();
        Api.newCase(customer);
        Traffic t = traffic(() -> post(customer, null).body("earlierComplaints", org.hamcrest.Matchers.hasSize(1)));
        System.out.println("returning customer, submitter only: " + t.describe());
        // Which earlier complaints a submitter may see comes with them: no query after the commit.
        assertCost(t, 6);
    }

    /**
     * A complaint received, from a new customer and a returning one, and read back, without
     * Hibernate throwing (and catching) an exception on the way. The customer key's native queries
     * left their columns' types for Hibernate to find from the result, and for the key's
     * {@code bytea} it threw one while trying to register the type, every time: about one a request
     * in a JFR recording of the system benchmark's mix (filling in an exception's stack trace is
     * among the dearest things the JVM does). Read from a flight recording of the JVM's thrown
     * exceptions, on every thread, while the calls ran.
     */
    @Test
    void aComplaintIsReceivedAndReadWithoutHibernateThrowing() {
        String returning = Api.newCustomer();
        UUID first = Api.newCase(returning);
        given().get("/complaints/" + first).then().statusCode(200); // warm
        List<ThrownExceptions.Thrown> thrown = ThrownExceptions.during(
                () -> {
                    post(Api.newCustomer(), UUID.randomUUID().toString());
                    String id = post(returning, null).extract().path("id");
                    given().get("/complaints/" + id).then().statusCode(200);
                    given().get("/complaints/" + first).then().statusCode(200);
                },
                "org.hibernate.");
        assertEquals(List.of(), thrown, "exceptions thrown inside Hibernate");
    }
}
