package redress.events;

/** What an interaction on a case was. Kind-specific fields are checked by intake-service. */
public enum InteractionKind {
    NOTE,
    /** Carries direction, channel and the customer's tone. */
    CUSTOMER_CONTACT,
    ACKNOWLEDGEMENT,
    APOLOGY,
    SOLUTION_OFFERED,
    SOLUTION_ACCEPTED,
    SOLUTION_REJECTED,
    /** A promise to the customer, with a due time in the future. */
    EXPECTATION_SET,
    BOUNDARY_WARNING,
    CONVERSATION_ENDED,
    ASSISTANCE_REQUESTED,
    MANAGER_REQUESTED
}
