package redress.audit.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the operations console (served at {@code /console/}) finds the other services. The
 * browser calls them directly, so these are the addresses a browser reaches them at, and each of
 * those services must allow this service's origin (CORS, {@code redress.console.origins}).
 */
@ConfigMapping(prefix = "redress.console")
public interface ConsoleConfig {

    @WithDefault("http://127.0.0.1:8081")
    String intakeUrl();

    @WithDefault("http://127.0.0.1:8082")
    String escalationUrl();

    @WithDefault("http://127.0.0.1:8083")
    String followupUrl();

    /**
     * Where browsers load the console from (comma-separated origins; between slashes, a regular
     * expression). Every service, this one included, reads it through
     * {@code quarkus.http.cors.origins} (service-support); it is declared here too because this
     * mapping owns the prefix.
     */
    @WithDefault("http://127.0.0.1:8084,http://localhost:8084")
    String origins();
}
