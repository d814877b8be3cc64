package redress.followup.profile;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;

import redress.followup.calendar.BusinessCalendar;

/**
 * How a deadline's due time is counted from its start, on a business calendar.
 *
 * @param type     {@code CALENDAR_PERIOD}: {@code period} (ISO-8601: {@code P8W}, {@code P15D}, or a
 *                 time amount such as {@code PT24H}) added in the calendar's zone, to the end of
 *                 that day when {@code endOfDay}; {@code BUSINESS_HOURS}: {@code amount} (ISO-8601
 *                 duration, {@code PT16H}) of working time; {@code BUSINESS_DAY_CLOSE}: the close of
 *                 business on the {@code days}-th business day after the day of the start
 */
public record ClockSpec(Type type, String period, boolean endOfDay, String amount, Integer days) {

    public enum Type {
        CALENDAR_PERIOD,
        BUSINESS_HOURS,
        BUSINESS_DAY_CLOSE
    }

    /** The due time of a deadline started at {@code start}. */
    public Instant due(Instant start, BusinessCalendar calendar) {
        return switch (type) {
            case CALENDAR_PERIOD ->
                period.contains("T")
                        ? calendar.plusDuration(start, Duration.parse(period), endOfDay)
                        : calendar.plusPeriod(start, Period.parse(period), endOfDay);
            case BUSINESS_HOURS -> calendar.plusBusinessTime(start, Duration.parse(amount));
            case BUSINESS_DAY_CLOSE -> calendar.closeOfBusinessDay(start, days);
        };
    }

    /** Refuses a spec that names no amount for its type; the message names the field. */
    public void validate() {
        if (type == null) {
            throw new IllegalArgumentException("clock.type is required");
        }
        switch (type) {
            case CALENDAR_PERIOD -> {
                if (period == null) {
                    throw new IllegalArgumentException("clock.period is required for CALENDAR_PERIOD");
                }
                if (period.contains("T")) {
                    Duration.parse(period);
                } else {
                    Period.parse(period);
                }
            }
            case BUSINESS_HOURS -> {
                if (amount == null
                        || Duration.parse(amount).isNegative()
                        || Duration.parse(amount).isZero()) {
                    throw new IllegalArgumentException(
                            "clock.amount must be a positive ISO-8601 duration for BUSINESS_HOURS");
                }
            }
            case BUSINESS_DAY_CLOSE -> {
                if (days == null || days < 0) {
                    throw new IllegalArgumentException("clock.days must be 0 or more for BUSINESS_DAY_CLOSE");
                }
            }
        }
    }
}
