package redress.events;

/** State of a promise made to a customer. */
public enum PromiseStatus {
    OPEN,
    KEPT,
    MISSED
}
