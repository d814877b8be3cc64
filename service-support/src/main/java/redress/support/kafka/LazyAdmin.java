package redress.support.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Kafka admin client made on first use, so that a service starts (and answers its health
 * checks) while the broker is away, and closed once with its owner.
 */
public final class LazyAdmin implements AutoCloseable {

    private final KafkaClients kafka;
    private final String clientId;
    private final Duration requestTimeout;
    private final Duration apiTimeout;
    private volatile Admin admin;

    /**
     * @param requestTimeout how long one request to the broker may take
     * @param apiTimeout     how long a call may take in all, retries included
     */
    public LazyAdmin(KafkaClients kafka, String clientId, Duration requestTimeout, Duration apiTimeout) {
        this.kafka = kafka;
        this.clientId = clientId;
        this.requestTimeout = requestTimeout;
        this.apiTimeout = apiTimeout;
    }

    public Admin get() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                a = admin;
                if (a == null) {
                    a = Admin.create(kafka.config(Map.of(
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            (int) requestTimeout.toMillis(),
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            (int) apiTimeout.toMillis(),
                            AdminClientConfig.CLIENT_ID_CONFIG,
                            clientId)));
                    admin = a;
                }
            }
        }
        return a;
    }

    @Override
    public void close() {
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
