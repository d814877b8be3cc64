package redress.followup.calendar;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * At start-up, the holiday changes that migrations made are applied as changes through the API
 * ({@link Calendars#applyPendingChanges}): every affected calendar gets a new revision and
 * {@link CalendarChanged}, so pending deadlines are recomputed on the corrected calendars. A
 * failure (the database away, the calendars' lock not had: a replica paused in a batch) is
 * logged, the service starts all the same, and the changes are tried again every {@code
 * redress.followup.calendar.pending-retry} until they are applied, here or by another replica:
 * deadlines do not keep the due times of an outdated calendar until someone restarts the service.
 */
@ApplicationScoped
public class PendingHolidayChanges {

    private final Calendars calendars;

    /** Whether the last attempt failed (until the first attempt, at start-up: unknown, so yes). */
    private volatile boolean failed = true;

    public PendingHolidayChanges(Calendars calendars) {
        this.calendars = calendars;
    }

    void onStart(@Observes StartupEvent e) {
        apply();
    }

    @Scheduled(
            every = "${redress.followup.calendar.pending-retry:30s}",
            delayed = "${redress.followup.calendar.pending-retry:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        if (failed) {
            apply();
        }
    }

    /** Applies what migrations left; false when that failed (logged, and tried again later). */
    public boolean apply() {
        try {
            List<String> regions = calendars.applyPendingChanges();
            if (!regions.isEmpty()) {
                Log.infof("holidays changed by a migration applied to the calendars of regions %s", regions);
            }
            failed = false;
            return true;
        } catch (RuntimeException ex) {
            failed = true;
            Log.errorf(
                    ex,
                    "holidays changed by a migration could not be applied yet: deadlines on those calendars keep"
                            + " their due times until a retry applies them (every %s)",
                    "redress.followup.calendar.pending-retry");
            return false;
        }
    }
}
