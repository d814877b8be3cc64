package redress.audit.stream;

import java.util.Arrays;

/** A client's filters; null means any. Applied in memory to entries read once for all clients. */
record Filters(String[] severities, String[] levels, String[] types) {

    boolean matches(LogEntry e) {
        return in(severities, e.severity) && in(levels, e.level) && in(types, e.type);
    }

    private static boolean in(String[] allowed, String value) {
        return allowed == null || value != null && Arrays.asList(allowed).contains(value);
    }
}
