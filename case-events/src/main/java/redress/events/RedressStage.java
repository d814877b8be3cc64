package redress.events;

/** Where an amount of redress stands: offered to the customer, accepted by them, or paid. */
public enum RedressStage {
    OFFERED,
    ACCEPTED,
    PAID
}
