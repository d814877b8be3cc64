package redress.support.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import redress.events.EventCodec;

/**
 * Browsers' {@code EventSource} cannot send an {@code Authorization} header, so on the paths
 * configured here (the live stream) a token may also come as the query parameter
 * {@code access_token} or the cookie {@code redress_token}. It is moved into the header before
 * authentication, which then verifies it like any other. Because a URL ends up in browser
 * history and proxies, such a token must be short-lived: one valid for longer than
 * {@code max-lifetime} is refused. Quarkus writes no access log by default; if one is enabled,
 * its format must leave the query string out.
 */
@ApplicationScoped
public class BrowserTokens {

    @ConfigMapping(prefix = "redress.security.browser-tokens")
    public interface Config {
        /** Path prefixes that accept a token outside the Authorization header. */
        @WithDefault("/streams/")
        List<String> paths();

        /** The longest lifetime (exp - iat) of a token accepted in a URL or cookie. */
        @WithDefault("15m")
        Duration maxLifetime();
    }

    public static final String QUERY_PARAMETER = "access_token";
    public static final String COOKIE = "redress_token";
    /** Before Quarkus authenticates the request, after nothing that needs the caller. */
    private static final int ORDER = -1000;

    private final Config config;

    public BrowserTokens(Config config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (rc.request().headers().contains(HttpHeaders.AUTHORIZATION)
                || config.paths().stream().noneMatch(p -> rc.normalizedPath().startsWith(p))) {
            rc.next();
            return;
        }
        String token = rc.request().getParam(QUERY_PARAMETER);
        if (token == null) {
            Cookie c = rc.request().getCookie(COOKIE);
            token = c == null ? null : c.getValue();
        }
        if (token != null) {
            if (!shortLived(token)) {
                rc.response()
                        .setStatusCode(401)
                        .putHeader("Content-Type", "application/problem+json")
                        .end(
                                "{\"type\":\"urn:redress:problem:token-too-long-lived\",\"title\":\"Unauthorized\",\"status\":401,"
                                        + "\"detail\":\"A token in a URL or cookie must expire within "
                                        + config.maxLifetime().toMinutes()
                                        + " minutes of being issued; send longer-lived tokens in the Authorization header\"}");
                return;
            }
            rc.request().headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        rc.next();
    }

    /** Reads iat and exp without verifying (the authentication that follows verifies the signature). */
    private boolean shortLived(String token) {
        try {
            String[] parts = token.split("\\.");
            JsonNode claims = EventCodec.mapper()
                    .readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            long exp = claims.path("exp").asLong(0);
            long iat = claims.path("iat").asLong(Instant.now().getEpochSecond());
            return exp > 0 && exp - iat <= config.maxLifetime().toSeconds();
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }
}
