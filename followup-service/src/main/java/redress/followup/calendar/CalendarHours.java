package redress.followup.calendar;

import java.io.Serializable;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The working hours of one weekday of a calendar ({@code weekday} ISO: 1 = Monday); a weekday without a row is closed. */
@Entity
@IdClass(CalendarHours.Key.class)
public class CalendarHours extends PanacheEntityBase {

    /** The primary key (Hibernate reads a record as an id class). */
    public record Key(String calendarName, int weekday) implements Serializable {}

    @Id
    public String calendarName;

    @Id
    public int weekday;
    /** HH:MM. */
    public String opens;
    /** HH:MM, or 24:00. */
    public String closes;

    public static List<CalendarHours> of(String calendar) {
        return list("calendarName = ?1 order by weekday", calendar);
    }
}
