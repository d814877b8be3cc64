package redress.support.kafka;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;

/**
 * Settings for the Kafka clients this code creates itself (the outbox relay, dead letters,
 * readiness): everything configured under {@code kafka.*} (bootstrap servers, security protocol,
 * SASL, TLS), as Quarkus collects it for its own clients, with each client's own settings on top.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> base;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> base) {
        this.base = base;
    }

    public Map<String, Object> config(Map<String, Object> own) {
        Map<String, Object> c = new HashMap<>(base);
        c.putAll(own);
        return c;
    }

    public String bootstrapServers() {
        return String.valueOf(base.get("bootstrap.servers"));
    }
}
