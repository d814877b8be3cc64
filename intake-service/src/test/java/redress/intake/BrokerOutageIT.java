package redress.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import redress.events.Topics;
import redress.testsupport.KafkaTestClient;
import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;

/**
 * Invariant 1 with the broker down: intake keeps accepting complaints (their events wait in the
 * outbox, which the lag metric shows), and once Kafka is back every one of them is published.
 */
class BrokerOutageIT {

    final TestInfrastructure infra = TestInfrastructure.get();
    final ServiceProcess app = new ServiceProcess(Api.APP_JAR, infra, "intake_outage", null);

    @AfterEach
    void restore() {
        infra.startKafka();
        app.close();
    }

    @Test
    void complaintsAcceptedWhileKafkaIsDownArePublishedWhenItReturns() throws Exception {
        assumeTrue(infra.ownsKafka(), "needs a broker this JVM can stop");
        app.start("outage-it", "-XX:TieredStopAtLevel=1");
        List<UUID> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            accepted.add(submit());
        }

        infra.stopKafka();
        for (int i = 0; i < 20; i++) {
            accepted.add(submit());
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> unsent() > 0);
        var health = app.get("/q/health/ready");
        assertEquals(503, health.statusCode(), "not ready without Kafka");
        // Health answers anyone: a check that is DOWN says so, and keeps the broker's address and
        // the error to the log.
        assertTrue(health.body().contains("\"DOWN\""), health.body());
        assertTrue(
                !health.body().matches("(?s).*\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(:\\d+)?.*"), health.body());
        assertTrue(
                !health.body().contains("Exception") && !health.body().matches("(?s).*\\b(org|io|java)\\.[a-z]+\\..*"),
                health.body());

        infra.startKafka();
        KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers());
        Set<String> expected = new HashSet<>();
        accepted.forEach(id -> expected.add(id.toString()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> {
                    Set<String> published = new HashSet<>();
                    kafka.readAll(Topics.CASE_EVENTS, r -> expected.contains(r.key()))
                            .forEach(r -> published.add(r.key()));
                    return published.containsAll(expected);
                });
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> unsent() == 0);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> app.get("/q/health/ready").statusCode() == 200);
    }

    private UUID submit() throws Exception {
        var r = app.post("/complaints", Api.complaintJson(Api.newCustomer()));
        assertEquals(201, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    private double unsent() throws Exception {
        String metrics = app.get("/q/metrics").body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("redress_outbox_unsent ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        assertTrue(false, "no redress_outbox_unsent metric");
        return 0;
    }
}
