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
    MANAGER_REQUESTED,
    /**
     * A written reply that is not yet the final one: why the firm cannot answer yet and when it
     * expects to (DISP 1.6.2R(1)(b), DISP 1.6.2AR's reply in exceptional circumstances).
     */
    HOLDING_RESPONSE,
    /** The firm's final response, with the referral rights the case's profile requires. */
    FINAL_RESPONSE,
    /** DISP 1.5.4R: the written communication for a complaint resolved by the third business day. */
    SUMMARY_RESOLUTION,
    /** The CFPB portal's response within 15 days: what the company did, or that it is in progress. */
    SUBSTANTIVE_RESPONSE,
    /** RG 271: the reasons for a delay and the complainant's right to go to AFCA, before the deadline. */
    DELAY_NOTICE
}
