package redress.events;

/** Which way a customer contact went. */
public enum Direction {
    INBOUND,
    OUTBOUND
}
