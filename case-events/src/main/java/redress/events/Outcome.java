package redress.events;

/**
 * What a resolution decided about the complaint, as the regulators' returns count it: upheld in
 * full, in part, or not at all (FCA DISP 1 Annex 1R, "upheld"; ASIC's IDR data dictionary,
 * complaint outcome). Required on the resolution of a case with a regulatory profile.
 */
public enum Outcome {
    UPHELD,
    PARTLY_UPHELD,
    NOT_UPHELD;

    /** Upheld in full or in part: what the FCA return counts as upheld. */
    public boolean upheld() {
        return this != NOT_UPHELD;
    }
}
