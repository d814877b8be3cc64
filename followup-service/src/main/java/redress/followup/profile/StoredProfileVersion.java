package redress.followup.profile;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One saved version of a profile: never changed; every change adds one. */
@Entity
@Table(name = "profile_version")
@IdClass(StoredProfileVersion.Key.class)
public class StoredProfileVersion extends PanacheEntityBase {

    /** The primary key (Hibernate reads a record as an id class). */
    public record Key(String name, int version) implements Serializable {}

    @Id
    public String name;

    @Id
    public int version;
    /** The {@link ProfileDefinition} as JSON. */
    public String definition;

    public String savedBy;
    public Instant savedAt;

    public static List<StoredProfileVersion> of(String name) {
        return list("name = ?1 order by version", name);
    }

    public static StoredProfileVersion find(String name, int version) {
        return findById(new Key(name, version));
    }
}
