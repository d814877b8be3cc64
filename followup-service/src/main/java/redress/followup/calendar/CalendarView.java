package redress.followup.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A calendar as the API shows it: its zone, holiday region, working hours by weekday (closed
 * weekdays absent; {@code close} 24:00 is midnight) and, for one calendar, the regions its region
 * includes and every holiday it is closed on, each with the region it belongs to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CalendarView(
        String name,
        String zone,
        String region,
        List<String> includes,
        Map<DayOfWeek, Hours> hours,
        LocalDate holidaysKnownThrough,
        List<HolidayView> holidays) {

    public record Hours(String open, String close) {}

    /** A holiday; {@code region} is the calendar's own or one its region includes. */
    public record HolidayView(LocalDate date, String name, String region) {}

    static CalendarView of(BusinessCalendar c, String region, List<String> includes, List<Holiday> holidays) {
        Map<DayOfWeek, Hours> hours = new LinkedHashMap<>();
        c.hours().forEach((d, w) -> hours.put(d, new Hours(w.openText(), w.closeText())));
        return new CalendarView(
                c.name(),
                c.zone().getId(),
                region,
                includes,
                hours,
                c.holidaysKnownThrough().orElse(null),
                holidays == null
                        ? null
                        : holidays.stream()
                                .map(h -> new HolidayView(h.day, h.name, h.region))
                                .toList());
    }
}
