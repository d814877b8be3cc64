package redress.followup.calendar;

import java.util.Map;

/**
 * A calendar as a rules-admin writes it.
 *
 * @param zone   an IANA time zone ({@code Europe/London})
 * @param region whose holidays the calendar skips; left out: unchanged (a new calendar: its own name)
 * @param hours  by weekday ({@code MONDAY} … {@code SUNDAY}), each {@code {"open":"09:00","close":"17:00"}};
 *               a weekday left out is closed; {@code close} may be {@code 24:00}
 */
public record CalendarBody(String zone, String region, Map<String, CalendarView.Hours> hours) {}
