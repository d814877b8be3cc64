package redress.followup.profile;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A profile's name and which of its versions applies to cases received from now on. */
@Entity
public class Profile extends PanacheEntityBase {

    @Id
    public String name;

    public int currentVersion;
}
