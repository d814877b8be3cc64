package redress.intake;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import redress.events.CaseEvent;
import redress.events.Topics;
import redress.testsupport.KafkaTestClient;

/** Small helpers for the tests: a valid complaint, posting it, reading a case's events. */
public final class Api {

    public static final KafkaTestClient KAFKA = KafkaTestClient.forTests();

    /** The built application, for tests that run it as a process of its own. */
    public static final java.nio.file.Path APP_JAR =
            java.nio.file.Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));

    public static String complaintJson(String customerId) {
        return """
                {"customer":{"id":"%s","name":"Ada Lovelace","email":"ada@example.org","phone":"+44 20 7946 0000"},
                 "channel":"EMAIL","category":" Billing ","product":"Current account",
                 "summary":"Charged twice","description":"Two debits for one purchase on the 3rd.",
                 "severity":"HIGH","regulatoryProfile":"UK_FCA_DISP","externalReference":"CRM-1"}
                """.formatted(customerId);
    }

    /**
     * Whether a record shows the personal data of {@link #complaintJson} in clear. Each value is
     * looked for whole: a fragment such as "7946" turns up by chance in a timestamp's microseconds,
     * and "Ada" in a ciphertext.
     */
    public static boolean showsPersonalData(String record) {
        return record.contains("Lovelace") || record.contains("ada@example.org") || record.contains("7946 0000");
    }

    public static ValidatableResponse submit(String json) {
        return given().contentType(ContentType.JSON)
                .body(json)
                .post("/complaints")
                .then();
    }

    /** Posts a valid complaint and returns its case id. */
    public static UUID newCase(String customerId) {
        String id = submit(complaintJson(customerId)).statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    /** A valid complaint of a new customer under the regulatory profile {@code profile}. */
    public static String complaintJsonWithProfile(String profile) {
        return complaintJson(newCustomer()).replace("UK_FCA_DISP", profile);
    }

    /** Posts a valid complaint of a new customer under {@code profile} and returns its case id. */
    public static UUID newCaseWithProfile(String profile) {
        String id = submit(complaintJsonWithProfile(profile))
                .statusCode(201)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    public static String newCustomer() {
        return "C-" + UUID.randomUUID();
    }

    /**
     * The body of a resolution of a regulated case: the summary, with the outcome, root cause and
     * product group every such resolution needs.
     */
    public static String resolution(String summary) {
        return "{\"summary\":\"" + summary
                + "\",\"outcome\":\"UPHELD\",\"rootCause\":\"INCORRECT_CHARGES\",\"productGroup\":\"CURRENT_ACCOUNT\"}";
    }

    public static ValidatableResponse post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path).then();
    }

    /** A POST with an {@code Idempotency-Key}, as a client that may retry it sends it. */
    public static ValidatableResponse post(String path, String idempotencyKey, String json) {
        return given().contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(json)
                .post(path)
                .then();
    }

    /** The case's events on case.events, in topic order, once at least {@code n} are there. */
    public static List<CaseEvent> awaitEvents(UUID caseId, int n) {
        return Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(
                        () -> KAFKA.caseRecords(Topics.CASE_EVENTS, caseId).stream()
                                .map(KafkaTestClient.Received::event)
                                .toList(),
                        l -> l.size() >= n);
    }

    public static List<String> types(List<CaseEvent> events) {
        return events.stream().map(CaseEvent::type).toList();
    }

    private Api() {}
}
