package redress.support.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/** Ready only while a Kafka broker really answers (the outbox relay and consumers need one). */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(KafkaReadiness.class);

    private final KafkaClients kafka;
    private final LazyAdmin admin;

    public KafkaReadiness(KafkaClients kafka) {
        this.kafka = kafka;
        this.admin = new LazyAdmin(kafka, "readiness", Duration.ofMillis(2000), Duration.ofMillis(3000));
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin.get()
                    .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes()
                    .get(3, TimeUnit.SECONDS)
                    .size();
            return HealthCheckResponse.named("kafka")
                    .up()
                    .withData("nodes", nodes)
                    .build();
        } catch (Exception e) {
            // Health answers anyone: the address and the error go to the log, not the answer.
            LOG.warnf("readiness: Kafka at %s does not answer: %s", kafka.bootstrapServers(), e.toString());
            return HealthCheckResponse.named("kafka").down().build();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
