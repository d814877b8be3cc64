package redress.events;

/**
 * What an amount of redress is for (FCA DISP 1.4.1R(3)(d) and DISP App 3: refunds, interest,
 * compensation for distress or inconvenience; goodwill where the firm owed nothing).
 */
public enum RedressKind {
    REFUND,
    INTEREST,
    DISTRESS_OR_INCONVENIENCE,
    GOODWILL
}
