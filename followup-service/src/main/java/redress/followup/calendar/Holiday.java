package redress.followup.calendar;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A public holiday of a region, on the date it is observed. */
@Entity
@IdClass(Holiday.Key.class)
public class Holiday extends PanacheEntityBase {

    public static class Key implements Serializable {
        public String region;
        public LocalDate day;

        public Key() {
        }

        public Key(String region, LocalDate day) {
            this.region = region;
            this.day = day;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.region.equals(region) && k.day.equals(day);
        }

        @Override
        public int hashCode() {
            return Objects.hash(region, day);
        }
    }

    @Id
    public String region;
    @Id
    public LocalDate day;
    public String name;
}
