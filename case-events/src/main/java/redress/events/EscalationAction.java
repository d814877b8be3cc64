package redress.events;

/**
 * What an escalation does to the case. {@link #WATCH}: someone at the target level watches the case,
 * sees it and its briefing in their queue, and the agent keeps it (and may be helped, or the watcher
 * may take it over). {@link #HAND_OVER}: the case moves to the target level's queue, unassigned.
 * An {@code escalation.raised} written before actions existed has none, which means {@code HAND_OVER}.
 */
public enum EscalationAction {
    WATCH,
    HAND_OVER;

    /** The action of an escalation that names none: {@code HAND_OVER}, what every escalation did before. */
    public static EscalationAction orDefault(EscalationAction action) {
        return action == null ? HAND_OVER : action;
    }
}
