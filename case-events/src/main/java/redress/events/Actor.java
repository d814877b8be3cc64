package redress.events;

import java.util.Objects;

/** The caller or process an event is attributed to. */
public record Actor(ActorType type, String id) {
    public Actor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Actor system(String id) {
        return new Actor(ActorType.SYSTEM, id);
    }

    /** {@code type:id}, the form auditors filter by. */
    @Override
    public String toString() {
        return type.wire() + ":" + id;
    }
}
