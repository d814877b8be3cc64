package redress.events;

/** How serious a complaint is. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
