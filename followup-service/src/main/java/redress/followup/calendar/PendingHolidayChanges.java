package redress.followup.calendar;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * At start-up, the holiday changes that migrations made are applied as changes through the API
 * ({@link Calendars#applyPendingChanges}): every affected calendar gets a new revision and
 * {@link CalendarChanged}, so pending deadlines are recomputed on the corrected calendars. A
 * failure is logged and leaves the rows for the next start: the service still starts.
 */
@ApplicationScoped
public class PendingHolidayChanges {

    void onStart(@Observes StartupEvent e, Calendars calendars) {
        try {
            List<String> regions = calendars.applyPendingChanges();
            if (!regions.isEmpty()) {
                Log.infof("holidays changed by a migration applied to the calendars of regions %s", regions);
            }
        } catch (RuntimeException ex) {
            Log.errorf(
                    ex,
                    "holidays changed by a migration could not be applied: deadlines on those calendars keep their"
                            + " due times until the next start tries again (or a change through /calendars)");
        }
    }
}
