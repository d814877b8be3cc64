package redress.events;

/** Who owns a case, in rising order: {@code AGENT(0) < TEAM_LEAD(1) < SUPERVISOR(2) < MANAGER(3)} (the ordinal). */
public enum EscalationLevel {
    AGENT,
    TEAM_LEAD,
    SUPERVISOR,
    MANAGER
}
