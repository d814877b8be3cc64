package redress.audit.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import redress.support.security.BrowserTokens;

/**
 * {@code GET /console/config.json}: the addresses of the other services and the longest lifetime
 * of a token the stream accepts in its URL. It holds no data, so it needs no token (the console
 * reads it before anyone has signed in), and it is a plain route rather than a REST resource: it
 * is not part of the API (not in OpenAPI, not in the endpoint × role table).
 */
@ApplicationScoped
public class ConsoleConfigRoute {

    static final String PATH = "/console/config.json";

    private final ConsoleConfig config;
    private final BrowserTokens.Config browserTokens;

    public ConsoleConfigRoute(ConsoleConfig config, BrowserTokens.Config browserTokens) {
        this.config = config;
        this.browserTokens = browserTokens;
    }

    void install(@Observes Router router) {
        String body = new JsonObject()
                .put("intake", trimSlash(config.intakeUrl()))
                .put("escalation", trimSlash(config.escalationUrl()))
                .put("followup", trimSlash(config.followupUrl()))
                .put(
                        "browserTokenMaxLifetimeSeconds",
                        browserTokens.maxLifetime().toSeconds())
                .encode();
        router.get(PATH)
                .handler(rc -> rc.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(body));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
