package redress.events;

/** The customer's tone in a contact, as the agent judged it. */
public enum CustomerTone {
    CALM,
    UPSET,
    ANGRY,
    ABUSIVE
}
