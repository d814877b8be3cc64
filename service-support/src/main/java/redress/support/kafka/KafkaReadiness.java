package redress.support.kafka;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
    private volatile Admin admin;

    public KafkaReadiness(KafkaClients kafka) {
        this.kafka = kafka;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
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

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(kafka.config(Map.of(
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            2_000,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            3_000,
                            AdminClientConfig.CLIENT_ID_CONFIG,
                            "readiness")));
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
