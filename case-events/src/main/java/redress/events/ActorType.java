package redress.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who caused an event: the {@code actortype} attribute of the envelope. */
public enum ActorType {
    AGENT,
    SYSTEM,
    CUSTOMER,
    INTEGRATION;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActorType fromWire(String value) {
        for (ActorType t : values()) {
            if (t.wire().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown actor type: " + value);
    }
}
