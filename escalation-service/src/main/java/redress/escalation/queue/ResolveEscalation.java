package redress.escalation.queue;

import jakarta.validation.constraints.Size;

/** @param outcome what was done about it, shown in the queue and carried by {@code escalation.resolved} */
public record ResolveEscalation(@Size(max = 2000) String outcome) {}
