package redress.events;

/**
 * The customer's tone in a contact, as the agent judged it, from the calmest to the most severe (a
 * later constant is a rise: escalation-service's {@code tone_trend} compares them in this order).
 * {@code THREATENING} (issue 31) is seed 001's "If they become abusive or threatening, end the
 * conversation and report it to your supervisor".
 */
public enum CustomerTone {
    CALM,
    UPSET,
    ANGRY,
    ABUSIVE,
    THREATENING
}
