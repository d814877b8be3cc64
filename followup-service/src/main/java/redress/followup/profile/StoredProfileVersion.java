package redress.followup.profile;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

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

    public static class Key implements Serializable {
        public String name;
        public int version;

        public Key() {
        }

        public Key(String name, int version) {
            this.name = name;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.name.equals(name) && k.version == version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, version);
        }
    }

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
