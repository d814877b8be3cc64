package redress.followup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;

import redress.testsupport.KafkaTestClient;
import redress.testsupport.ServiceProcess;
import redress.testsupport.TestInfrastructure;

/** A test of followup-service run from its built jar as processes the test starts; each is stopped after the test. */
abstract class FromTheJar {

    static final Path JAR = Path.of(System.getProperty("redress.app.jar", "target/quarkus-app/quarkus-run.jar"));

    final TestInfrastructure infra = TestInfrastructure.get();
    final KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers());
    final List<ServiceProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(ServiceProcess::close);
    }

    /**
     * Starts a process on {@code database}, its waker polling every 200 ms, with the other settings
     * in {@code env}. Its consumer session is short: the group forgets a killed process after 10 s,
     * and its partitions move to another process (or stay unread until one starts) in seconds.
     */
    ServiceProcess startProcess(String database, String label, Map<String, String> env) throws Exception {
        ServiceProcess p =
                new ServiceProcess(JAR, infra, database, null).env("REDRESS_FOLLOWUP_WAKER_POLL_INTERVAL", "200ms");
        env.forEach(p::env);
        p.start(label, "-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=10000");
        processes.add(p);
        return p;
    }
}
