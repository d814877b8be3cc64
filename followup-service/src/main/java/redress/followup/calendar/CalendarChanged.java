package redress.followup.calendar;

/**
 * Fired synchronously ({@code Event.fire}) inside the transaction of every change to a calendar:
 * its hours or zone, or a holiday of its region added or removed. An observer that recomputes
 * pending deadlines does so in the same transaction, so either both commit or neither does;
 * {@link Calendars#get} inside that transaction already answers the changed calendar.
 */
public record CalendarChanged(String name) {}
