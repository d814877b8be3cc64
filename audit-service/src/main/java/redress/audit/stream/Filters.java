package redress.audit.stream;

import java.util.Arrays;

import redress.events.EventType;

/** A client's filters; null means any. Applied in memory to entries read once for all clients. */
record Filters(String[] severities, String[] levels, String[] types) {

    /**
     * Auditors' reads of the log are never on the operations stream: they are not case work, and
     * which cases auditors look at is theirs to know (docs/audit-log.md). Skipped entries still
     * move the client's position, as any filtered entry does.
     */
    boolean matches(LogEntry e) {
        return !ACCESSED.equals(e.type) && in(severities, e.severity) && in(levels, e.level) && in(types, e.type);
    }

    private static final String ACCESSED = EventType.AUDIT_ACCESSED.type();

    private static boolean in(String[] allowed, String value) {
        return allowed == null || value != null && Arrays.asList(allowed).contains(value);
    }
}
