package redress.events;

/** Who owns a case: {@code AGENT(0) < TEAM_LEAD(1) < SUPERVISOR(2) < MANAGER(3)}. */
public enum EscalationLevel {
    AGENT, TEAM_LEAD, SUPERVISOR, MANAGER;

    public int rank() {
        return ordinal();
    }

    public boolean isAbove(EscalationLevel other) {
        return rank() > other.rank();
    }

    /** One level up, or this one at the top. */
    public EscalationLevel next() {
        return this == MANAGER ? MANAGER : values()[ordinal() + 1];
    }
}
