package redress.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the JVM's real PostgreSQL and Kafka. Argument {@code database}
 * names the module's database (created fresh once per test JVM). With argument {@code role}, the
 * service connects as that restricted role (its password is its name) while Flyway migrates as
 * the server's owner, as in production.
 */
public class RedressTestResource implements QuarkusTestResourceLifecycleManager {

    private String database = "redress_test";
    private String role;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
        role = initArgs.get("role");
    }

    @Override
    public Map<String, String> start() {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> config = new HashMap<>();
        String url = infra.database(database);
        config.put("quarkus.datasource.jdbc.url", url);
        if (role == null) {
            config.put("quarkus.datasource.username", infra.postgres().user());
            config.put("quarkus.datasource.password", infra.postgres().password());
        } else {
            config.put("quarkus.datasource.username", role);
            config.put("quarkus.datasource.password", role);
            config.put("quarkus.flyway.jdbc-url", url);
            config.put("quarkus.flyway.username", infra.postgres().user());
            config.put("quarkus.flyway.password", infra.postgres().password());
        }
        config.put("kafka.bootstrap.servers", infra.bootstrapServers());
        config.put("quarkus.devservices.enabled", "false");
        config.put(
                "mp.jwt.verify.publickey.location",
                TestTokens.keys().publicKeyFile().toString());
        return config;
    }

    @Override
    public void stop() {
        // The servers live as long as the JVM: other test classes reuse them.
    }
}
