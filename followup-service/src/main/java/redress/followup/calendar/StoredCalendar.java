package redress.followup.calendar;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A calendar's zone and holiday region; its hours are {@link CalendarHours} rows. */
@Entity
@Table(name = "calendar")
public class StoredCalendar extends PanacheEntityBase {

    @Id
    public String name;

    public String zone;
    public String region;
    /** From the sequence {@code calendar_revision}, new on every change of the calendar or its region's holidays. */
    public long revision;
}
