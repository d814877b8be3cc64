package redress.followup.calendar;

import java.io.Serializable;
import java.time.LocalDate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A public holiday of a region, on the date it is observed. */
@Entity
@IdClass(Holiday.Key.class)
public class Holiday extends PanacheEntityBase {

    /** The primary key (Hibernate reads a record as an id class). */
    public record Key(String region, LocalDate day) implements Serializable {}

    @Id
    public String region;

    @Id
    public LocalDate day;

    public String name;
}
