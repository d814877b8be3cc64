package redress.support.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;

/**
 * The Kafka channels' liveness and readiness, as SmallRye Reactive Messaging reports them, but
 * with only each channel's name and OK or KO in the answer: health is readable by anyone, and the
 * failure messages (addresses, exception texts) go to the log instead. A channel that has failed
 * makes the service not live, so a supervisor restarts it. Replaces the extension's own checks
 * ({@code quarkus.messaging.health.enabled=false}).
 */
@ApplicationScoped
public class MessagingHealth {

    private static final Logger LOG = Logger.getLogger(MessagingHealth.class);

    private final HealthCenter center;

    public MessagingHealth(HealthCenter center) {
        this.center = center;
    }

    @Produces
    @Liveness
    HealthCheck liveness() {
        return () -> answer("messaging liveness", center.getLiveness());
    }

    @Produces
    @Readiness
    HealthCheck readiness() {
        return () -> answer("messaging readiness", center.getReadiness());
    }

    private static HealthCheckResponse answer(String name, HealthReport report) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name).status(report.isOk());
        for (HealthReport.ChannelInfo c : report.getChannels()) {
            b.withData(c.getChannel(), c.isOk() ? "OK" : "KO");
            if (!c.isOk()) {
                LOG.warnf("%s: channel %s is KO: %s", name, c.getChannel(), c.getMessage());
            }
        }
        return b.build();
    }
}
