package redress.followup.calendar;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * How far ahead each calendar knows its holidays. A calendar's clocks count every working weekday
 * after its last year of holidays as a business day, so a deadline due then may move when that
 * year's holidays are imported (it is shown {@code provisional}). Every {@code
 * redress.followup.calendar.horizon-check} (default 1 hour) the days from today (in the calendar's
 * zone) to {@link BusinessCalendar#holidaysKnownThrough()} become the gauge {@code
 * redress_followup_calendar_holidays_ahead_days{calendar}}, and a calendar with fewer than {@code
 * redress.followup.calendar.holidays-warning} (default 180 days) ahead is logged as a warning,
 * once a day: the on-call engineer's and the rules-admin's reminder to import the next year.
 */
@ApplicationScoped
public class CalendarHorizons {

    private final Calendars calendars;
    private final MeterRegistry registry;
    private final Clock clock;
    private final long warningDays;
    private final Map<String, AtomicLong> daysAhead = new ConcurrentHashMap<>();
    /** The figure each calendar was last warned about, so that a warning is logged once a day. */
    private final Map<String, Long> warned = new ConcurrentHashMap<>();

    public CalendarHorizons(Calendars calendars, MeterRegistry registry, Clock clock, Calendars.CalendarConfig config) {
        this.calendars = calendars;
        this.registry = registry;
        this.clock = clock;
        this.warningDays = config.holidaysWarning().toDays();
    }

    @Scheduled(
            every = "${redress.followup.calendar.horizon-check:1h}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            check();
        } catch (RuntimeException e) {
            Log.warnf(e, "the calendars' holiday horizons could not be read; tried again at the next check");
        }
    }

    /** Each calendar that has holidays, with the days from today to the last day they are known through. */
    @Transactional
    public Map<String, Long> check() {
        Map<String, Long> ahead = new TreeMap<>();
        for (StoredCalendar stored : calendars.stored()) {
            BusinessCalendar cal = calendars.get(stored.name);
            Optional<LocalDate> known = cal.holidaysKnownThrough();
            if (known.isEmpty()) {
                continue;
            }
            long days = ChronoUnit.DAYS.between(LocalDate.ofInstant(clock.instant(), cal.zone()), known.get());
            ahead.put(stored.name, days);
            daysAhead
                    .computeIfAbsent(stored.name, name -> {
                        AtomicLong value = new AtomicLong();
                        Gauge.builder("redress_followup_calendar_holidays_ahead_days", value, AtomicLong::get)
                                .description(
                                        "Days from today to the last day the calendar's holidays are known through")
                                .tag("calendar", name)
                                .register(registry);
                        return value;
                    })
                    .set(days);
            if (days < warningDays && !Long.valueOf(days).equals(warned.put(stored.name, days))) {
                Log.warnf(
                        "calendar %s has holidays only through %s (%d days ahead): deadlines due after that count"
                                + " every working weekday as a business day; import the next year's holidays"
                                + " (POST /calendars/%s/holidays)",
                        stored.name, known.get(), days, stored.name);
            }
        }
        return ahead;
    }
}
