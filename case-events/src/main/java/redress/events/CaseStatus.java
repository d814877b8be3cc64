package redress.events;

/** Lifecycle of a case; intake-service owns the transitions. */
public enum CaseStatus {
    OPEN,
    IN_PROGRESS,
    AWAITING_CUSTOMER,
    RESOLVED,
    CLOSED,
    REOPENED
}
